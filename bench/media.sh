#!/usr/bin/env bash
# Reproducible picture benchmark (not a test), three parts on loopback:
#  1. delivery: one demo rendition (the training photo, w640.webp) and its full-size JPEG,
#     served by Masthead (`--workers 2`) and by nginx (`worker_processes 2`, sendfile,
#     open_file_cache, access_log off, the same cache headers) from a copy of the same
#     bytes; wrk -t2 -c32, rounds interleaved (nginx, masthead, nginx, …) so that both meet
#     the same machine noise; then the same with `If-None-Match` (304s);
#  2. uploads of a generated 4000×3000 JPEG (noise over gradients, quality 90, ~5 MB) one
#     after the other: curl's time_total and the server's peak RSS (VmHWM);
#  3. 8 such uploads at once, each time on a fresh server process, with --image-workers
#     2 (the default), 1 and 8: wall time and peak RSS.
# Before each part it waits for the 1-minute load to drop below QUIET_LOAD (1.5), for at
# most QUIET_WAIT seconds (900), and prints the load it measured at. Prints one line per
# run (CPU in % of one core over the run: the server's, wrk's, and the rest of the
# machine's, from /proc/stat), then medians and ratios. Needs wrk and nginx (apt-get
# install -y wrk nginx), curl, python3 with Pillow (pip install Pillow; parts 2 and 3
# only). Honours CARGO_TARGET_DIR.
#
# PARTS=delivery runs part 1 only, PARTS=uploads parts 2 and 3 only (default: all).
# BEFORE_BIN=path/to/another/masthead adds that build to part 1 as "before", serving the
# same database and media store on the next port, in the same interleaved rounds (nginx,
# before, masthead, …): a change measured before and after side by side.
#
#   bash bench/media.sh [SECONDS] [ROUNDS] [UPLOADS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
rounds=${2:-5}
uploads=${3:-3}
at_once=8
quiet_load=${QUIET_LOAD:-1.5}
quiet_wait=${QUIET_WAIT:-900}
port=18383
nginx_port=18384
before_port=18385
parts=" ${PARTS:-delivery uploads} "
parts=${parts//,/ }
want() { [[ $parts == *" $1 "* ]]; }
before_bin=${BEFORE_BIN:-}
if [ -n "$before_bin" ]; then
  before_bin=$(realpath "$before_bin")
  [ -x "$before_bin" ] || { echo "BEFORE_BIN: no executable at $before_bin" >&2; exit 1; }
fi
base="http://127.0.0.1:$port"

for tool in wrk nginx curl python3; do
  command -v "$tool" >/dev/null || { echo "$tool is needed: apt-get install -y wrk nginx curl python3" >&2; exit 1; }
done
if want uploads; then
  python3 -c 'import PIL' 2>/dev/null || { echo "Pillow is needed: pip install Pillow" >&2; exit 1; }
fi
cargo build --release --locked --bin masthead >/dev/null
bin=${CARGO_TARGET_DIR:-target}/release/masthead
workdir=$(mktemp -d)
chmod 755 "$workdir"   # nginx's workers read their root as an unprivileged user
server=
nginx_pid=
before=
stop() { if [ -n "$1" ]; then kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; fi; }
trap 'stop "$server"; stop "$nginx_pid"; stop "$before"; rm -rf "$workdir"' EXIT
export MASTHEAD_LOG=warn
# One signing secret for every server process, so that one token serves them all.
export MASTHEAD_JWT_SECRET="media-bench-secret-not-for-production-use-0123456789"
tick=$(getconf CLK_TCK)

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(nginx -v 2>&1 | cut -d' ' -f3); $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"

load1() { cut -d' ' -f1 /proc/loadavg; }
wait_quiet() {
  local waited=0
  while awk -v max="$quiet_load" '{exit !($1 >= max)}' /proc/loadavg && [ "$waited" -lt "$quiet_wait" ]; do
    sleep 10; waited=$((waited + 10))
  done
  echo "load $(cut -d' ' -f1-3 /proc/loadavg) after waiting ${waited} s for a 1-minute load < $quiet_load"
}
# CPU ticks (user + system) of processes and their children processes (nginx's workers).
ticks() {
  local total=0 pid child
  for pid in "$@"; do
    total=$((total + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')))
    for child in $(cat "/proc/$pid/task/$pid/children" 2>/dev/null); do
      total=$((total + $(sed 's/.*) //' "/proc/$child/stat" | awk '{print $12 + $13}')))
    done
  done
  echo "$total"
}
busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }   # all cores, in ticks
kib() { awk -v field="$1:" '$1 == field {print $2}' "/proc/$2/status"; }
up() { for _ in $(seq 1 300); do curl -fsS "$1" >/dev/null 2>&1 && return; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }
serve() {   # serve DATABASE [FLAGS…]: starts Masthead in the background, sets $server
  local db=$1; shift
  "$bin" --database-url "$db" serve --bind "127.0.0.1:$port" --workers 2 "$@" >>"$workdir/server.log" 2>&1 &
  server=$!
  up "$base/healthz"
}

# ---------------------------------------------------------------------------------------
# 1. Delivery, Masthead and nginx side by side.
if want delivery; then
delivery_db="$workdir/delivery.db"
serve "$delivery_db" --media-store "$workdir/media"   # fills the demo site, stores its pictures
# The demo's pictures are stored in the background after the server answers: wait for the
# cover's renditions (a few seconds).
full=
for _ in $(seq 1 600); do
  cover_id=$(curl -fsS "$base/api/v1/articles/humiao-safety-training-nanshan" | python3 -c 'import json,sys; print((json.load(sys.stdin).get("cover") or {}).get("id", ""))')
  if [ -n "$cover_id" ]; then
    read -r full w640 < <(curl -fsS "$base/api/v1/media/$cover_id" | python3 -c '
import json, sys
m = json.load(sys.stdin)
print(m["url"], next((r["url"] for r in m["renditions"] if r["width"] == 640 and r["mime_type"] == "image/webp"), ""))') || true
  fi
  [ -n "${w640:-}" ] && break
  sleep 0.1
done
[ -n "${w640:-}" ] || { echo "the demo cover has no 640-wide WebP rendition" >&2; exit 1; }
mkdir -p "$workdir/nginx-root" "$workdir/nginx-temp"
for url in "$full" "$w640"; do   # the very bytes Masthead serves, at the same path
  mkdir -p "$workdir/nginx-root$(dirname "$url")"
  curl -fsS "$base$url" -o "$workdir/nginx-root$url"
done
chmod -R a+rX "$workdir/nginx-root"
cat >"$workdir/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $workdir/nginx.pid;
error_log $workdir/nginx-error.log warn;
events { worker_connections 1024; }
http {
  types { image/webp webp; image/jpeg jpg; }
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  open_file_cache max=1000 inactive=60s;
  open_file_cache_valid 60s;
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $workdir/nginx-temp/body;
  proxy_temp_path $workdir/nginx-temp/proxy;
  fastcgi_temp_path $workdir/nginx-temp/fastcgi;
  uwsgi_temp_path $workdir/nginx-temp/uwsgi;
  scgi_temp_path $workdir/nginx-temp/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    root $workdir/nginx-root;
    location /media/ {
      add_header Cache-Control "public, max-age=31536000, immutable";
      add_header X-Content-Type-Options nosniff;
    }
  }
}
EOF
nginx -p "$workdir" -e "$workdir/nginx-error.log" -c "$workdir/nginx.conf" &
nginx_pid=$!
up "http://127.0.0.1:$nginx_port$w640"
servers="nginx masthead"
if [ -n "$before_bin" ]; then   # the other build, on the same database and files
  "$before_bin" --database-url "$delivery_db" serve --bind "127.0.0.1:$before_port" --workers 2 \
    --no-demo --media-store "$workdir/media" >>"$workdir/before.log" 2>&1 &
  before=$!
  up "http://127.0.0.1:$before_port/healthz"
  servers="nginx before masthead"
fi
for url in "$full" "$w640"; do
  cmp -s <(curl -fsS "$base$url") <(curl -fsS "http://127.0.0.1:$nginx_port$url") || { echo "different bytes for $url" >&2; exit 1; }
  if [ -n "$before" ]; then
    cmp -s <(curl -fsS "$base$url") <(curl -fsS "http://127.0.0.1:$before_port$url") || { echo "different bytes from before for $url" >&2; exit 1; }
  fi
done
echo "files: $w640 ($(stat -c %s "$workdir/nginx-root$w640") bytes), $full ($(stat -c %s "$workdir/nginx-root$full") bytes)"
etag() { curl -fsSI "$1" | awk 'tolower($1) == "etag:" {sub(/\r$/, ""); print $2}'; }
results="$workdir/delivery.txt"
measure() {   # measure ROUND FILE SERVER URL [wrk flags…]
  local round=$1 file=$2 which=$3 url=$4; shift 4
  local pid=$server; [ "$which" = nginx ] && pid=$nginx_pid; [ "$which" = before ] && pid=$before
  local load before busy_before out after busy_after
  load=$(load1)
  before=$(ticks "$pid")
  busy_before=$(busy)
  out=$( { TIMEFORMAT='wrk_cpu %U %S'; time wrk -t2 -c32 -d"${seconds}s" --latency "$@" "$url"; } 2>&1)
  after=$(ticks "$pid")
  busy_after=$(busy)
  if grep -q 'Non-2xx' <<<"$out"; then grep 'Non-2xx' <<<"$out" >&2; exit 1; fi
  # CPU in % of one core over the run: the server's, wrk's, and everything else's.
  awk -v r="$round" -v f="$file" -v s="$which" -v l="$load" -v d="$seconds" -v tick="$tick" \
    -v server="$((after - before))" -v busy="$((busy_after - busy_before))" '
    /Requests\/sec/ {rps = $2} /Transfer\/sec/ {mbs = $2} $1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2}
    $1 == "wrk_cpu" {wrk = $2 + $3}
    END {
      others = (busy - server) / tick - wrk; if (others < 0) others = 0
      printf "round %s %-10s %-8s req/s %10s p50 %8s p99 %8s transfer %9s server_cpu %3d%% wrk_cpu %3d%% others_cpu %3d%% load %s\n",
        r, f, s, rps, p50, p99, mbs, server / tick / d * 100, wrk / d * 100, others / d * 100, l
    }' <<<"$out" | tee -a "$results"
}
echo
echo "1. delivery: wrk -t2 -c32 -d${seconds}s --latency, $rounds interleaved rounds"
wait_quiet
for file in w640.webp full.jpg 304; do
  url=$w640; [ "$file" = full.jpg ] && url=$full
  for round in $(seq 1 "$rounds"); do
    for which in $servers; do
      origin=$base; [ "$which" = nginx ] && origin="http://127.0.0.1:$nginx_port"
      [ "$which" = before ] && origin="http://127.0.0.1:$before_port"
      if [ "$file" = 304 ]; then
        tag=$(etag "$origin$url")
        [ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $tag" "$origin$url")" = 304 ] || { echo "no 304 from $which" >&2; exit 1; }
        measure "$round" "$file" "$which" "$origin$url" -H "If-None-Match: $tag"
      else
        measure "$round" "$file" "$which" "$origin$url"
      fi
    done
  done
done
echo "Masthead peak RSS after delivery: $(( $(kib VmHWM "$server") / 1024 )) MiB"
[ -n "$before" ] && echo "before's peak RSS after delivery: $(( $(kib VmHWM "$before") / 1024 )) MiB"
echo
echo "medians (ratio: Masthead / nginx req/s):"
python3 - "$results" $servers <<'EOF'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    f = line.split()
    key = (f[2], f[3])
    runs.setdefault(key, []).append((float(f[5]), f[7], f[9], int(f[13].rstrip('%')), int(f[17].rstrip('%'))))
def ms(text):
    return float(text[:-2]) if text.endswith("ms") else float(text[:-2]) / 1000 if text.endswith("us") else float(text[:-1]) * 1000
# CPU per request (the server's CPU over the run / its requests) holds up better than req/s
# when other work takes part of the machine.
print("| file | server | req/s (runs) | median req/s | median p50 | median p99 | server CPU | server CPU per request | others' CPU | Masthead / nginx |")
print("|---|---|---|---|---|---|---|---|---|---|")
for file in ("w640.webp", "full.jpg", "304"):
    nginx = statistics.median(r[0] for r in runs[(file, "nginx")])
    for server in sys.argv[2:]:
        r = runs[(file, server)]
        rps = statistics.median(x[0] for x in r)
        p50 = statistics.median(ms(x[1]) for x in r)
        p99 = statistics.median(ms(x[2]) for x in r)
        cpu = statistics.median(x[3] for x in r)
        per_request = statistics.median(x[3] / 100 * 1e6 / x[0] for x in r)
        others = statistics.median(x[4] for x in r)
        ratio = f"{rps / nginx:.2f}×" if server != "nginx" else ""
        print(f"| {file} | {server} | {' / '.join(f'{x[0]:,.0f}' for x in r)} | {rps:,.0f} | {p50:.2f} ms | {p99:.2f} ms | {cpu} % | {per_request:.1f} µs | {others} % | {ratio} |")
EOF
stop "$nginx_pid"; nginx_pid=
stop "$before"; before=
stop "$server"; server=
fi

# ---------------------------------------------------------------------------------------
# 2. and 3. Uploads of a 4000×3000 JPEG, on a database without the demo.
want uploads || exit 0
picture="$workdir/upload.jpg"
python3 - "$picture" <<'EOF'
import random, sys
from PIL import Image, ImageChops
w, h = 4000, 3000
rng = random.Random(20261130)
x = Image.linear_gradient("L").rotate(90).resize((w, h))
y = Image.linear_gradient("L").resize((w, h))
r = Image.radial_gradient("L").resize((w, h))
noise = Image.frombytes("RGB", (w, h), rng.randbytes(w * h * 3))
Image.blend(Image.merge("RGB", (x, y, ImageChops.invert(r))), noise, 0.2).save(sys.argv[1], quality=90)
EOF
echo
echo "upload: a 4000×3000 JPEG, quality 90, $(stat -c %s "$picture") bytes"
uploads_db="$workdir/uploads.db"
MASTHEAD_USER_PASSWORD=media-bench-password "$bin" --database-url "$uploads_db" user add \
  --email bench@example.com --name Bench --role admin >/dev/null 2>&1
upload() {   # upload OUT: prints "http_code time_total"
  curl -sS -o "$1" -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $token" \
    -F "file=@$picture;type=image/jpeg" -F "alt=Noise over gradients" "$base/api/v1/media"
}
serve "$uploads_db" --no-demo --media-store "$workdir/uploads"
token=$(curl -fsS -H 'Content-Type: application/json' -d '{"email":"bench@example.com","password":"media-bench-password"}' \
  "$base/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
echo
echo "2. one upload at a time, --image-workers 2 (the default); RSS at rest $(( $(kib VmRSS "$server") / 1024 )) MiB"
wait_quiet
times=()
for i in $(seq 1 "$uploads"); do
  load=$(load1)
  read -r code seconds_taken < <(upload "$workdir/upload-$i.json")
  [ "$code" = 201 ] || { echo "upload $i: HTTP $code: $(cat "$workdir/upload-$i.json")" >&2; exit 1; }
  times+=("$seconds_taken")
  echo "upload $i: ${seconds_taken} s, $(python3 -c 'import json,sys; m = json.load(open(sys.argv[1])); print(len(m["renditions"]), "renditions,", " ".join(sorted({str(r["width"]) for r in m["renditions"]}, key=int)))' "$workdir/upload-$i.json"); peak RSS so far $(( $(kib VmHWM "$server") / 1024 )) MiB, RSS now $(( $(kib VmRSS "$server") / 1024 )) MiB; load $load"
done
echo "median upload time: $(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}') s; server peak RSS $(( $(kib VmHWM "$server") / 1024 )) MiB"
stop "$server"; server=

echo
echo "3. $at_once uploads at once, each on a fresh server process"
for workers in 2 1 8; do
  serve "$uploads_db" --no-demo --media-store "$workdir/uploads" --image-workers "$workers"
  rest=$(kib VmRSS "$server")
  wait_quiet
  load=$(load1)
  start=$(date +%s%N)
  clients=()
  for i in $(seq 1 "$at_once"); do upload "$workdir/at-once-$i.json" >"$workdir/at-once-$i.txt" & clients+=($!); done
  wait "${clients[@]}"
  wall=$(( ($(date +%s%N) - start) / 1000000 ))
  codes=$(cat "$workdir"/at-once-*.txt | cut -d' ' -f1 | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')
  each=$(cat "$workdir"/at-once-*.txt | cut -d' ' -f2 | sort -n | awk '{a[NR] = $1} END {printf "fastest %.2f s, median %.2f s, slowest %.2f s", a[1], (a[NR / 2] + a[NR / 2 + 1]) / 2, a[NR]}')
  printf -- '--image-workers %s: wall %d.%02d s; each %s; HTTP %s; RSS at rest %s MiB, peak RSS %s MiB, RSS after %s MiB; load %s\n' \
    "$workers" $((wall / 1000)) $((wall % 1000 / 10)) "$each" "$codes" $((rest / 1024)) $(( $(kib VmHWM "$server") / 1024 )) $(( $(kib VmRSS "$server") / 1024 )) "$load"
  rm -f "$workdir"/at-once-*
  stop "$server"; server=
done
