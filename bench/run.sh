#!/usr/bin/env bash
# Issue 11's benchmark (not a test), "fast at a million articles". For each backend and
# each size it generates a fresh archive (`masthead generate`, timed), then measures with
# wrk -t2 -c32 --latency on loopback, three server processes one after the other on that
# database:
#  1. response cache on (the default): nginx serving the very bytes of the cached article,
#     interleaved with the cached article for ROUNDS rounds (nginx, Masthead, nginx, …) so
#     both meet the same machine noise, plain and with `Accept-Encoding: gzip` (nginx's
#     `gzip_static` serving Masthead's own gzipped bytes); then each endpoint below once;
#  2. response cache off (`--cache-entries 0`): each endpoint once;
#  3. mixed: a fresh server with the default cache; wrk reads articles chosen by a Zipf law
#     (exponent ZIPF_S) over the newest ZIPF_ARTICLES articles: first WARM_SECONDS of reads
#     alone to fill the cache (not counted), then MIXED_SECONDS of reads alone, then
#     MIXED_SECONDS while an editor changes the newest article's title once a second (GET
#     for the ETag, PATCH with If-Match); the hit ratio is hits / (hits + misses) of the
#     reads' `x-cache` header. Reads alone show what the cache's size allows; the difference
#     is what the writes cost. The reads send what browsers send, `Accept-Encoding: gzip,
#     deflate, br, zstd` (MIXED_ENCODING; empty: none, as wrk alone sends).
# Endpoints: the article in the middle of the archive, list page 1, page 5,000 by cursor
# (the last page when there are fewer), a category's list, the category tree, /menus, /site.
# Prints a markdown table per backend and size (req/s, p50, p99, errors, ratios), the
# server's peak RSS (VmHWM) per server process and how long `generate` took. Raw wrk
# output and the tables are kept under OUT.
#
#   bash bench/run.sh                                  # the full run (hours)
#   SIZES=10000 SECONDS=3 BACKENDS=sqlite bash bench/run.sh   # a quick one
#
# Knobs (environment), defaults in brackets: SIZES [10000 100000 1000000], BACKENDS
# [sqlite postgres], RUNS [on off mixed] (which of the three), SECONDS per wrk run [10],
# ROUNDS of nginx / cached article [3], MIXED_SECONDS [30], WARM_SECONDS [MIXED_SECONDS],
# ZIPF_S [1.0], ZIPF_ARTICLES [100000], MIXED_ENCODING [gzip, deflate, br, zstd], MIXED_FLAGS [none] (flags for the mixed run's server,
# e.g. a larger response cache), CONNECTIONS [32], BIN [built here] (a masthead
# binary to measure instead, e.g. another commit's),
# PG [postgres://postgres@127.0.0.1:5432]: a server whose user may create databases (one
# `bench_<size>` database per size, dropped at the end), PG_OPTIONS [?sslmode=disable] (added to
# the server's database URL), OUT [/tmp/bench-out/<UTC time>].
# Needs wrk, nginx, curl, python3, and psql for PostgreSQL (apt-get install -y wrk nginx
# postgresql-client). Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
# SECONDS is also bash's own clock, so read the value the caller passed, not the counter.
seconds=$(printenv SECONDS || true)
seconds=${seconds:-10}
sizes=${SIZES:-10000 100000 1000000}
backends=${BACKENDS:-sqlite postgres}
rounds=${ROUNDS:-3}
runs=${RUNS:-on off mixed}
mixed_seconds=${MIXED_SECONDS:-30}
warm_seconds=${WARM_SECONDS:-$mixed_seconds}
zipf_s=${ZIPF_S:-1.0}
zipf_articles=${ZIPF_ARTICLES:-100000}
mixed_encoding=${MIXED_ENCODING-gzip, deflate, br, zstd}
# Extra flags for the mixed run's server, e.g. a larger cache: MIXED_FLAGS="--cache-entries 50000".
read -r -a mixed_flags <<<"${MIXED_FLAGS:-}"
mixed_note=${MIXED_FLAGS:+ (server $MIXED_FLAGS)}
connections=${CONNECTIONS:-32}
pg=${PG:-postgres://postgres@127.0.0.1:5432}
# Connection options for the server under test. Without TLS by default: on loopback it only
# encrypts to itself, and libpq's default (`prefer`) uses it whenever the server offers it
# (Debian's does), which cost 15-30 % of an uncached article's requests/s here.
pg_options=${PG_OPTIONS-?sslmode=disable}
out=${OUT:-/tmp/bench-out/$(date -u +%Y%m%dT%H%M%SZ)}
port=18191
nginx_port=18192
base="http://127.0.0.1:$port"
api="$base/api/v1"

tools="wrk nginx curl python3"
[[ " $backends " == *" postgres "* ]] && tools="$tools psql"
for tool in $tools; do
  command -v "$tool" >/dev/null || { echo "$tool is needed: apt-get install -y wrk nginx curl python3 postgresql-client" >&2; exit 1; }
done
if [ -n "${BIN:-}" ]; then
  bin=$(realpath "$BIN")
else
  cargo build --release --locked --bin masthead >/dev/null
  bin=$(realpath "${CARGO_TARGET_DIR:-target}/release/masthead")
fi
wanted() { [[ " $runs " == *" $1 "* ]]; }
mkdir -p "$out"
workdir=$(mktemp -d)
chmod 755 "$workdir"   # nginx's workers read their root as an unprivileged user
server=
nginx_pid=
writer=
databases=
stop() { if [ -n "$1" ]; then kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; fi; }
cleanup() {
  stop "$writer"; stop "$server"; stop "$nginx_pid"
  for database in $databases; do psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $database" >/dev/null || true; done
  rm -rf "$workdir"
}
trap cleanup EXIT
export MASTHEAD_LOG=warn
# A fixed signing secret: the mixed run's editor logs in to the server it writes through.
export MASTHEAD_JWT_SECRET="bench-secret-not-for-production-use-0123456789abcdef"
password="bench passphrase, not for production"
results="$out/results.tsv"    # backend size cache endpoint round req/s p50 p99 errors extra
servers="$out/servers.tsv"    # backend size server-run peak-RSS-KiB
generated="$out/generate.tsv" # backend size seconds database-size
: >"$results"; : >"$servers"; : >"$generated"

{
  if [ -n "${BIN:-}" ]; then echo "binary: $bin ($("$bin" --version 2>/dev/null || echo 'no version'))"
  else echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src migrations Cargo.lock 2>/dev/null || echo ' (with uncommitted changes)')"; fi
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(nginx -v 2>&1 | cut -d' ' -f3); $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "wrk -t2 -c$connections -d${seconds}s --timeout 30s --latency; sizes: $sizes; backends: $backends; output: $out"
} | tee "$out/summary.md"

up() { for _ in $(seq 1 600); do curl -fsS "$1" >/dev/null 2>&1 && return; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }
serve() {   # serve DATABASE_URL [FLAGS…]: starts Masthead in the background, sets $server
  local url=$1; shift
  "$bin" --database-url "$url" serve --bind "127.0.0.1:$port" --no-demo "$@" >>"$out/server.log" 2>&1 &
  server=$!
  up "$base/healthz"
}
finish() {  # finish BACKEND SIZE RUN: records the server's peak RSS and stops it
  echo -e "$1\t$2\t$3\t$(awk '$1 == "VmHWM:" {print $2}' "/proc/$server/status")" >>"$servers"
  stop "$server"; server=
}
json() { python3 -c "import json, sys; print(json.load(sys.stdin)$1)"; }

# measure BACKEND SIZE CACHE ENDPOINT ROUND URL [wrk flags and script arguments…]: one wrk run of $duration (or
# $seconds) seconds, one line in $results.
measure() {
  local backend=$1 size=$2 cache=$3 endpoint=$4 round=$5 url=$6; shift 6
  local raw="$out/wrk-$backend-$size-$cache-${endpoint//[^a-z0-9]/_}-$round.txt"
  curl -fsS "$url" >/dev/null   # the URL must answer 200 before it is measured (and warms the cache)
  # wrk's default 2 s timeout drops slow answers from the latencies: wait longer for them.
  wrk -t2 -c"$connections" -d"${duration:-$seconds}s" --timeout 30s --latency "$url" "$@" >"$raw" 2>&1
  awk -v b="$backend" -v n="$size" -v c="$cache" -v e="$endpoint" -v r="$round" '
    /Requests\/sec/ {rps = $2} $1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2}
    /Non-2xx/ {errors += $NF}
    /Socket errors/ {gsub(",", ""); errors += $4 + $6 + $8 + $10}
    /^x-cache/ {extra = $0}
    END {printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", b, n, c, e, r, rps, p50, p99, errors, extra}' "$raw" >>"$results"
}

# The reads of the mixed run: article slugs by a Zipf law over ranks 1..M, rank 1 the newest;
# counts the x-cache header of every answer.
cat >"$workdir/zipf.lua" <<'EOF'
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  newest, m, s = tonumber(args[1]), tonumber(args[2]), tonumber(args[3])
  cdf = {}
  local total = 0
  for rank = 1, m do total = total + rank ^ -s; cdf[rank] = total end
  for rank = 1, m do cdf[rank] = cdf[rank] / total end
  math.randomseed(os.time() * 100 + id)
  hits, misses, none = 0, 0, 0
end
function request()
  local u, lo, hi = math.random(), 1, m
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cdf[mid] < u then lo = mid + 1 else hi = mid end
  end
  return wrk.format("GET", "/api/v1/articles/generated-" .. (newest - lo + 1))
end
function response(status, headers, body)
  local cache = headers["x-cache"] or headers["X-Cache"]
  if cache == "hit" then hits = hits + 1 elseif cache == "miss" then misses = misses + 1 else none = none + 1 end
end
function done(summary, latency, requests)
  local h, m, n = 0, 0, 0
  for _, thread in ipairs(threads) do
    h, m, n = h + thread:get("hits"), m + thread:get("misses"), n + thread:get("none")
  end
  io.write(string.format("x-cache hit %d miss %d none %d\n", h, m, n))
end
EOF

# nginx serves one file, the cached article's bytes, as plainly and quickly as it can.
mkdir -p "$workdir/nginx-root" "$workdir/nginx-temp"
chmod 755 "$workdir/nginx-root"
cat >"$workdir/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $workdir/nginx.pid;
error_log $workdir/nginx-error.log warn;
events { worker_connections 1024; }
http {
  default_type application/json;
  sendfile on;
  tcp_nodelay on;
  open_file_cache max=100 inactive=60s;
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
    # article.json.gz for a client that asks for gzip: Masthead's own gzipped bytes.
    gzip_static on;
  }
}
EOF

report() {  # report BACKEND SIZE: the markdown table of one backend and size
  python3 - "$results" "$servers" "$generated" "$1" "$2" "${sizes%% *}" "$rounds" <<'EOF'
import statistics, sys
results, servers, generated, backend, size, first, rounds = sys.argv[1:]
def ms(text):
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    for unit in ("us", "ms", "s"):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * units[unit]
rows = [line.rstrip("\n").split("\t") for line in open(results)]
def runs(size_, cache, endpoint):
    return [r for r in rows if r[0] == backend and r[1] == size_ and r[2] == cache and r[3] == endpoint]
def median(runs_, column):
    return statistics.median(ms(r[column]) if column > 5 else float(r[column]) for r in runs_)
gen = [g.split("\t") for g in open(generated) if g.startswith(f"{backend}\t{size}\t")]
if gen:
    print(f"\n### {backend}, {int(size):,} articles (generated in {float(gen[0][2]):.0f} s, database {gen[0][3].strip()})\n")
print("| endpoint | cache | req/s | p50 | p99 | errors | ratio |")
print("|---|---|---|---|---|---|---|")
nginx, article = runs(size, "on", "nginx (same bytes)"), runs(size, "on", "article")
seen = []
for r in rows:
    if r[0] == backend and r[1] == size and (r[2], r[3]) not in seen:
        seen.append((r[2], r[3]))
for cache, endpoint in seen:
    rs = runs(size, cache, endpoint)
    rps = median(rs, 5)
    rps_text = f"{rps:,.0f}" if len(rs) == 1 else f"{rps:,.0f} (median; {' / '.join(f'{float(r[5]):,.0f}' for r in rs)})"
    ratio = ""
    if (cache, endpoint) == ("on", "article") and nginx:
        ratio = f"{rps / median(nginx, 5):.2f}× nginx req/s"
    nginx_gzip = runs(size, "on", "nginx (same bytes, gzip)")
    if (cache, endpoint) == ("on", "article, gzip") and nginx_gzip:
        ratio = f"{rps / median(nginx_gzip, 5):.2f}× nginx gzip req/s"
    if (cache, endpoint) == ("off", "article") and size != first and runs(first, "off", "article"):
        ratio = f"p99 {median(rs, 7) / median(runs(first, 'off', 'article'), 7):.2f}× the {int(first):,} figure"
    if endpoint.startswith("mixed"):
        hits, misses = int(rs[0][9].split()[2]), int(rs[0][9].split()[4])
        ratio = f"hit ratio {hits / (hits + misses) * 100:.1f} % ({hits:,} hits, {misses:,} misses)" if hits + misses else "no x-cache header"
    errors = sum(int(r[8]) for r in rs)
    print(f"| {endpoint} | {cache} | {rps_text} | {median(rs, 6):.2f} ms | {median(rs, 7):.2f} ms | {errors} | {ratio} |")
rss = [s.split("\t") for s in open(servers) if s.startswith(f"{backend}\t{size}\t")]
print("\nserver peak RSS (VmHWM): " + ", ".join(f"{run} {int(kib) / 1024:.1f} MiB" for _, _, run, kib in (s[:4] for s in rss)))
EOF
}

for backend in $backends; do
  for size in $sizes; do
    echo
    echo "== $backend, $size articles: generating"
    if [ "$backend" = sqlite ]; then
      url="$workdir/bench-$size.db"
      rm -f "$url"*
    else
      database="bench_$size"
      psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $database" >/dev/null
      psql "$pg/postgres" -qc "CREATE DATABASE $database" >/dev/null
      databases="$databases $database"
      url="$pg/$database$pg_options"
    fi
    start=$(date +%s.%N)
    "$bin" --database-url "$url" --log-format text generate --articles "$size" >"$out/generate-$backend-$size.log" 2>&1
    took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
    if [ "$backend" = sqlite ]; then db_size=$(du -sh "$url"* | awk '{s = s $1 " "} END {print s}')
    else db_size=$(psql "$pg/postgres" -tAc "SELECT pg_size_pretty(pg_database_size('$database'))"); fi
    echo -e "$backend\t$size\t$took\t$db_size" >>"$generated"
    echo "generated in $took s; database $db_size"
    MASTHEAD_USER_PASSWORD=$password "$bin" --database-url "$url" user add --email bench@example.com --name 压测编辑 --role editor >>"$out/generate-$backend-$size.log" 2>&1

    # 1. Cache on. Targets found through the API, so they do not depend on how `generate`
    # numbers and dates its articles: generated articles (byline 生成器) have consecutive
    # serials, oldest first; some may be dated in the future, hence not visible.
    serve "$url"
    read -r newest visible < <(curl -fsS "$api/articles?author=%E7%94%9F%E6%88%90%E5%99%A8&per_page=1" |
      python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["data"][0]["slug"].removeprefix("generated-"), d["meta"]["total"])')
    slug="generated-$((newest - visible / 2))"
    pages=$(curl -fsS "$api/articles?per_page=20" | json '["meta"]["total_pages"]')
    deep=$(( pages < 5000 ? pages : 5000 ))
    cursor=$(curl -fsS "$api/articles?per_page=20&page=$((deep - 1))" | json '["meta"]["next_cursor"]')
    category=$(curl -fsS "$api/categories" | json '["data"][0]["slug"]')
    echo "visible generated articles: $visible (newest generated-$newest); article $slug; $pages list pages; category $category"
    endpoints=(
      "list page 1|$api/articles?per_page=20"
      "list page $deep (cursor)|$api/articles?per_page=20&cursor=$cursor"
      "category list ($category)|$api/articles?category=$category&per_page=20"
      "category tree|$api/categories"
      "menus|$api/menus"
      "site|$api/site"
    )
    if wanted on; then
    curl -fsS "$api/articles/$slug" -o "$workdir/nginx-root/article.json"
    chmod 644 "$workdir/nginx-root/article.json"
    [ "$(curl -fsS -o /dev/null -D - "$api/articles/$slug" | tr -d '\r' | awk 'tolower($1) == "x-cache:" {print $2}')" = hit ] ||
      echo "warning: the article is not answered from the cache" >&2
    # Twice: the second is a hit, answered with the gzip body the cache keeps.
    for _ in 1 2; do curl -fsS -H 'Accept-Encoding: gzip' "$api/articles/$slug" -o "$workdir/nginx-root/article.json.gz"; done
    chmod 644 "$workdir/nginx-root/article.json.gz"
    nginx -p "$workdir" -e "$workdir/nginx-error.log" -c "$workdir/nginx.conf" &
    nginx_pid=$!
    up "http://127.0.0.1:$nginx_port/article.json"
    cmp -s "$workdir/nginx-root/article.json" <(curl -fsS "$api/articles/$slug") || { echo "nginx and Masthead differ" >&2; exit 1; }
    for round in $(seq 1 "$rounds"); do
      measure "$backend" "$size" on "nginx (same bytes)" "$round" "http://127.0.0.1:$nginx_port/article.json"
      measure "$backend" "$size" on article "$round" "$api/articles/$slug"
      # What browsers and apps ask for: the same article gzipped, by both.
      measure "$backend" "$size" on "nginx (same bytes, gzip)" "$round" "http://127.0.0.1:$nginx_port/article.json" -H "Accept-Encoding: gzip"
      measure "$backend" "$size" on "article, gzip" "$round" "$api/articles/$slug" -H "Accept-Encoding: gzip"
    done
    stop "$nginx_pid"; nginx_pid=
    for entry in "${endpoints[@]}"; do
      measure "$backend" "$size" on "${entry%%|*}" 1 "${entry#*|}"
    done
    fi
    finish "$backend" "$size" "cache on"

    # 2. Cache off, the same endpoints (the article first).
    if wanted off; then
    serve "$url" --cache-entries 0
    measure "$backend" "$size" off article 1 "$api/articles/$slug"
    for entry in "${endpoints[@]}"; do
      measure "$backend" "$size" off "${entry%%|*}" 1 "${entry#*|}"
    done
    finish "$backend" "$size" "cache off"
    fi

    # 3. Mixed: Zipf reads on a fresh server, warmed, then alone, then with one write a second.
    if wanted mixed; then
    serve "$url" ${mixed_flags[@]+"${mixed_flags[@]}"}
    token=$(curl -fsS -X POST "$api/auth/login" -H 'content-type: application/json' \
      -d "{\"email\":\"bench@example.com\",\"password\":\"$password\"}" | json '["access_token"]')
    ranks=$(( visible < zipf_articles ? visible : zipf_articles ))
    zipf=(-s "$workdir/zipf.lua")
    [ -n "$mixed_encoding" ] && zipf+=(-H "Accept-Encoding: $mixed_encoding")
    zipf+=("$newest" "$ranks" "$zipf_s")
    wrk -t2 -c"$connections" -d"${warm_seconds}s" --timeout 30s "$api/articles/generated-$newest" "${zipf[@]}" >/dev/null
    duration=$mixed_seconds measure "$backend" "$size" on "mixed: Zipf (s $zipf_s) reads over the newest $ranks$mixed_note, reads alone" 1 \
      "$api/articles/generated-$newest" "${zipf[@]}"
    (
      # The editor: every second, read the newest article's ETag and change its title.
      ok=0 failed=0
      for i in $(seq 1 "$mixed_seconds"); do
        next=$(awk -v t="$(date +%s.%N)" 'BEGIN {printf "%.3f", t + 1}')
        etag=$(curl -fsS -o /dev/null -D - "$api/articles/generated-$newest" -H "Authorization: Bearer $token" | tr -d '\r' | awk 'tolower($1) == "etag:" {print $2}' || true)
        code=$(curl -sS -o /dev/null -w '%{http_code}' -X PATCH "$api/articles/generated-$newest" \
          -H "Authorization: Bearer $token" -H "If-Match: $etag" -H 'content-type: application/json' \
          -d "{\"title\":\"生成的测试文章 第${newest}篇 (第${i}次修改)\"}")
        if [ "$code" = 200 ]; then ok=$((ok + 1)); else failed=$((failed + 1)); echo "write $i: HTTP $code" >&2; fi
        sleep "$(awk -v n="$next" -v t="$(date +%s.%N)" 'BEGIN {d = n - t; printf "%.3f", (d > 0 ? d : 0)}')"
      done
      echo "$ok $failed" >"$workdir/writes"
    ) &
    writer=$!
    mixed_endpoint="mixed: Zipf (s $zipf_s) reads over the newest $ranks$mixed_note, 1 write/s"
    # wrk takes only the host from the URL: the Lua script makes every request's path.
    duration=$mixed_seconds measure "$backend" "$size" on "$mixed_endpoint" 1 "$api/articles/generated-$newest" "${zipf[@]}"
    wait "$writer"; writer=
    read -r writes_ok writes_failed <"$workdir/writes"
    finish "$backend" "$size" "mixed"
    fi

    report "$backend" "$size" | tee -a "$out/summary.md"
    wanted mixed && echo "mixed run writes: $writes_ok answered 200, $writes_failed failed" | tee -a "$out/summary.md"
    if [ "$backend" = postgres ]; then
      psql "$pg/postgres" -qc "DROP DATABASE $database" >/dev/null
      databases=${databases/ $database/}
    else
      rm -f "$url"*
    fi
  done
done
echo
echo "tables, raw wrk output and logs: $out"
