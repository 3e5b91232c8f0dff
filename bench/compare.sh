#!/usr/bin/env bash
# Side-by-side benchmark of two release binaries on one generated SQLite database (not a
# test): a single article with the response cache on (a hit) and off, wrk -t2 -c32 on
# loopback, rounds interleaved so that both meet the same machine noise. Prints one line
# per run: requests/s, p50, p99, peak RSS (KiB). Take the median per binary and mode.
#
#   bash bench/compare.sh OLD_BINARY NEW_BINARY [ARTICLES] [SECONDS] [ROUNDS]
set -euo pipefail
old=$1 new=$2 articles=${3:-10000} seconds=${4:-10} rounds=${5:-3}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
workdir=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$workdir"' EXIT
pid=
db="$workdir/bench.db"
"$old" --database-url "$db" --log-format text generate --articles "$articles" >/dev/null 2>&1
port=18282
slug=
summary() { awk '/Requests\/sec/ {rps=$2} $1=="50%" {p50=$2} $1=="99%" {p99=$2} END {print rps, p50, p99}'; }
for round in $(seq 1 "$rounds"); do
  for which in old new; do
    bin=$old; [ "$which" = new ] && bin=$new
    for cache in on off; do
      extra=(); [ "$cache" = off ] && extra=(--cache-entries 0)
      MASTHEAD_LOG=warn "$bin" --database-url "$db" serve --bind "127.0.0.1:$port" "${extra[@]}" >/dev/null 2>&1 &
      pid=$!
      for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
      if [ -z "$slug" ]; then
        slug=$(curl -fsS "http://127.0.0.1:$port/api/v1/articles?per_page=1&page=50" \
          | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["slug"])')
      fi
      url="http://127.0.0.1:$port/api/v1/articles/$slug"
      curl -fsS "$url" >/dev/null
      echo "round $round $which cache=$cache $(wrk -t2 -c32 -d"${seconds}s" --latency "$url" | summary) rss_kib=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)"
      kill $pid; wait $pid 2>/dev/null || true
    done
  done
done
