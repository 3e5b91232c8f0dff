#!/usr/bin/env bash
# Search quality on a corpus with known topics (issue 10's evaluation, not a test): generates
# ARTICLES (10,000) articles about the 24 topics of src/demo/topics.json into a fresh SQLite
# file (or the empty PostgreSQL database DATABASE_URL names), serves it, and prints search
# precision@10 for every topic word and the share of related articles on the article's topic.
#
#   bash bench/search-eval.sh [ARTICLES]
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/eval bash bench/search-eval.sh
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-10000}
port=18182
base="http://127.0.0.1:$port"

cargo build --release --locked --bin masthead >/dev/null
bin=./target/release/masthead
workdir=$(mktemp -d)
db=${DATABASE_URL:-$workdir/eval.db}
# The server is waited for before its files go: it may still be writing picture renditions.
server=
trap '[ -n "$server" ] && { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; }; rm -rf "$workdir"' EXIT

start=$(date +%s)
$bin --database-url "$db" --log-format text generate --articles "$articles" --topics 2>/dev/null
echo "generated $articles articles about known topics in $(( $(date +%s) - start )) s"

MASTHEAD_LOG=warn $bin --database-url "$db" serve --bind "127.0.0.1:$port" --cache-entries 0 >"$workdir/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
python3 bench/search_eval.py "$base"
