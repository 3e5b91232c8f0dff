#!/usr/bin/env bash
# Reproducible load benchmark (not a test): 100,000 generated articles on SQLite, wrk with
# 32 connections on loopback. Prints requests/s, p50, p99 per endpoint and the server's
# peak RSS. Needs wrk (apt-get install wrk) and curl.
#
#   bash bench/run.sh [ARTICLES] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-100000}
seconds=${2:-20}
port=18181
base="http://127.0.0.1:$port"

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
cargo build --release --locked --bin masthead >/dev/null
bin=./target/release/masthead
workdir=$(mktemp -d)
db="$workdir/bench.db"
trap 'kill $server 2>/dev/null || true; rm -rf "$workdir"' EXIT

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
start=$(date +%s)
$bin --database-url "$db" --log-format text generate --articles "$articles" 2>/dev/null
echo "generated $articles articles in $(( $(date +%s) - start )) s; database $(du -h "$db" | cut -f1)"

middle_slug="generated-$(( articles / 2 ))"

run() {
  local name=$1 url=$2
  curl -fsS "$url" >/dev/null   # the URL must answer 200 before it is measured (and warms the cache)
  local out
  out=$(wrk -t2 -c32 -d"${seconds}s" --latency "$url")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  printf '| %-36s | %10s | %8s | %8s |\n' "$name" "$rps" "$p50" "$p99"
  if grep -q 'Non-2xx' <<<"$out"; then grep 'Non-2xx' <<<"$out" >&2; fi
}

# One server per mode on the same database: the response cache on (the default) and off.
for entries in 10000 0; do
  MASTHEAD_LOG=warn $bin --database-url "$db" serve --bind "127.0.0.1:$port" --cache-entries "$entries" >"$workdir/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  # The cursor that opens page 4,000 is the next_cursor of page 3,999.
  cursor=$(curl -fsS "$base/api/v1/articles?per_page=20&page=3999" | python3 -c 'import json,sys; print(json.load(sys.stdin)["meta"]["next_cursor"])')
  echo
  if [ "$entries" = 0 ]; then echo "response cache OFF (--cache-entries 0)"; else echo "response cache ON (--cache-entries $entries, the default)"; fi
  echo
  echo "| endpoint (wrk -t2 -c32 -d${seconds}s)       |      req/s |      p50 |      p99 |"
  echo "|--------------------------------------|------------|----------|----------|"
  run "GET /articles/{slug}" "$base/api/v1/articles/$middle_slug"
  run "GET /articles?per_page=20 (page 1)" "$base/api/v1/articles?per_page=20"
  run "GET /articles?cursor=… (page 4,000)" "$base/api/v1/articles?per_page=20&cursor=$cursor"
  run "GET /articles?page=4000 (offset)" "$base/api/v1/articles?per_page=20&page=4000"
  echo
  echo "server peak RSS: $(awk '/VmHWM/ {printf "%.1f MiB", $2/1024}' /proc/$server/status)"
  kill $server; wait $server 2>/dev/null || true
done
