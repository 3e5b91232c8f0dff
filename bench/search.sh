#!/usr/bin/env bash
# Search speed (issue 10's benchmark, not a test): ARTICLES (100,000) generated articles about
# known topics, on SQLite and on PostgreSQL, the response cache off so every request searches;
# wrk with 8 connections cycles through every topic word of src/demo/topics.json, two-word
# queries and filtered ones. Prints req/s, p50 and p99 per kind of request. Needs wrk and a
# PostgreSQL server at PG (default postgres://postgres@127.0.0.1:5432; BACKENDS=sqlite skips it).
#
#   bash bench/search.sh [ARTICLES] [SECONDS]
#
# KEEP=1 keeps the generated corpus (PostgreSQL database masthead_search_bench_ARTICLES, SQLite
# file $TMPDIR/masthead-search-ARTICLES.db) and serves a kept one instead of generating it again:
# generating 100,000 topical articles takes about 3 minutes on SQLite and 30 on PostgreSQL here
# (before `generate` re-analysed PostgreSQL as the archive grows).
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-100000}
seconds=${2:-20}
backends=${BACKENDS:-sqlite postgres}
pg=${PG:-postgres://postgres@127.0.0.1:5432}
# Added to the server's database URL: no TLS on loopback by default (see bench/run.sh).
pg_options=${PG_OPTIONS-?sslmode=disable}
port=18183
base="http://127.0.0.1:$port"

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
# BIN: a masthead binary already built (default: build this checkout's release binary).
bin=${BIN:-}
if [ -z "$bin" ]; then
  cargo build --release --locked --bin masthead >/dev/null
  bin=./target/release/masthead
fi
workdir=$(mktemp -d)
keep=${KEEP:-}
pg_db=masthead_search_bench
[ -n "$keep" ] && pg_db="masthead_search_bench_$articles"
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  if [[ " $backends " == *" postgres "* ]] && [ -z "$keep" ]; then psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true; fi
  rm -rf "$workdir"
}
trap cleanup EXIT

# One wrk script per kind of request: each connection walks its own list of URLs.
python3 - "$workdir" <<'PY'
import json, sys, urllib.parse
from pathlib import Path
out = Path(sys.argv[1])
topics = json.loads(Path("src/demo/topics.json").read_text("utf-8"))["topics"]
words = [w for t in topics for w in t["words"]]
pairs = [f"{t['words'][i]} {t['words'][i + 1]}" for t in topics for i in range(0, len(t["words"]) - 1, 2)]
q = lambda s: urllib.parse.quote(s)
kinds = {
    "search-one-word": [f"/api/v1/search?q={q(w)}" for w in words],
    "search-two-words": [f"/api/v1/search?q={q(p)}" for p in pairs],
    "search-page-3": [f"/api/v1/search?q={q(w)}&page=3" for w in words],
    "search-in-category": [f"/api/v1/search?q={q(w)}&category=news" for w in words],
    "articles-q": [f"/api/v1/articles?q={q(w)}" for w in words],
    "suggest": [f"/api/v1/search/suggest?q={q(w[:1])}" for w in words]
    + [f"/api/v1/search/suggest?q={q(w)}" for w in ("hu", "wl", "wangluo", "dt", "ditie", "yiyuan", "5g", "ai")],
}
for kind, urls in kinds.items():
    lua = "local urls = {" + ",".join(json.dumps(u) for u in urls) + "}\n"
    lua += "local n = math.random(#urls)\n"
    lua += "request = function() n = n % #urls + 1; return wrk.format('GET', urls[n]) end\n"
    (out / f"{kind}.lua").write_text(lua)
    (out / f"{kind}.first").write_text(urls[0])
PY

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load $(cut -d' ' -f1-3 /proc/loadavg); binary $bin"
for backend in $backends; do
  if [ "$backend" = postgres ]; then
    db="$pg/$pg_db$pg_options"
    kept=$( [ -n "$keep" ] && psql "$pg/postgres" -Atc "SELECT 1 FROM pg_database WHERE datname = '$pg_db'" || true)
    if [ -z "$kept" ]; then
      psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null
      psql "$pg/postgres" -qc "CREATE DATABASE $pg_db" >/dev/null
    fi
  else
    db="$workdir/search.db"
    if [ -n "$keep" ]; then db="${TMPDIR:-/tmp}/masthead-search-$articles.db"; fi
    kept=$( [ -n "$keep" ] && [ -f "$db" ] && echo 1 || true)
  fi
  if [ -n "$kept" ]; then
    echo
    echo "$backend: serving the kept corpus $db (not generated again)"
  else
    start=$(date +%s)
    $bin --database-url "$db" --log-format text generate --articles "$articles" --topics 2>/dev/null
    echo
    echo "$backend: generated $articles articles about known topics in $(( $(date +%s) - start )) s (search index and related lists included)"
  fi
  MASTHEAD_LOG=warn $bin --database-url "$db" serve --bind "127.0.0.1:$port" --cache-entries 0 >"$workdir/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  echo
  echo "| $backend, $articles articles (wrk -t2 -c8 -d${seconds}s, cache off) |   req/s |     p50 |     p99 |"
  echo "|---------------------------------------------------|---------|---------|---------|"
  for script in "$workdir"/*.lua; do
    kind=$(basename "$script" .lua)
    curl -fsS "$base$(cat "$workdir/$kind.first")" >/dev/null   # must answer 200 before it is measured
    out=$(wrk -t2 -c8 -d"${seconds}s" --latency -s "$script" "$base")
    printf '| %-49s | %7s | %7s | %7s |\n' "$kind" \
      "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
      "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")"
    if grep -q 'Non-2xx' <<<"$out"; then grep 'Non-2xx' <<<"$out" >&2; fi
  done
  echo "server peak RSS: $(awk '/VmHWM/ {printf "%.1f MiB", $2/1024}' /proc/$server/status)"
  kill "$server"; wait "$server" 2>/dev/null || true
  server=
done
