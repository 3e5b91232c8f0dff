#!/usr/bin/env bash
# What one cached article page costs in memory (not a test): a server with a cache large
# enough to keep everything reads ENTRIES distinct generated articles once each (wrk, two
# connections, brotli asked for, as a browser does), and glibc's own count of bytes in use
# (`malloc_stats()`, called in the running server through gdb) is read before and after.
# The difference over the number of misses is the real cost of an entry: body, keys,
# headers, the entry, the LRU's node and slot, and the allocator's headers. Compare it with
# what the cache counts (`ENTRY_OVERHEAD` in src/http/response_cache/mod.rs).
#
# Needs gdb and wrk (apt-get install -y gdb wrk), curl, python3, and a database made by
# `masthead generate` with at least ENTRIES + 2,000 public articles. Honours CARGO_TARGET_DIR.
#
#   BIN=target/release/masthead bash bench/cache-memory.sh DATABASE_URL [ENTRIES]
set -euo pipefail
cd "$(dirname "$0")/.."
url=${1:?usage: bench/cache-memory.sh DATABASE_URL [ENTRIES]}
entries=${2:-40000}
port=${PORT:-18182}
if [ -n "${BIN:-}" ]; then
  bin=$(realpath "$BIN")
else
  cargo build --release --locked --bin masthead
  bin="${CARGO_TARGET_DIR:-target}/release/masthead"
fi
workdir=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$workdir"' EXIT

# Each thread walks its own share of the newest ids: ids newest - k for k = 0 .. n - 1.
cat >"$workdir/walk.lua" <<'EOF'
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  newest, n, step = tonumber(args[1]), tonumber(args[2]), tonumber(args[3])
  i, misses = id, 0
end
function request()
  local k = i % n
  i = i + step
  return wrk.format("GET", "/api/v1/articles/generated-" .. (newest - k))
end
function response(status, headers, body)
  if headers["x-cache"] == "miss" then misses = misses + 1 end
end
function done(summary, latency, requests)
  local m = 0
  for _, thread in ipairs(threads) do m = m + thread:get("misses") end
  io.write(string.format("misses %d\n", m))
end
EOF

"$bin" --database-url "$url" serve --bind "127.0.0.1:$port" --no-demo \
  --cache-entries 10000000 --cache-bytes 4294967296 >>"$workdir/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
newest=$(curl -fsS "http://127.0.0.1:$port/api/v1/articles?per_page=1" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["data"][0]["slug"].removeprefix("generated-"))')
walk() { # walk NEWEST COUNT SECONDS: prints wrk's summary and the misses
  wrk -t2 -c2 -d"${3}s" "http://127.0.0.1:$port/" -s "$workdir/walk.lua" \
    -H "Accept-Encoding: gzip, deflate, br, zstd" -- "$1" "$2" 2
}
in_use() { # glibc's bytes in use, all arenas and mmap
  : >"$workdir/server.log"
  gdb -p "$server" -batch -ex 'call (void)malloc_stats()' >/dev/null 2>&1
  sleep 0.3
  grep -a -A2 '^Total' "$workdir/server.log" | awk '/in use bytes/ {print $NF}'
}
# Warm-up on 2,000 older articles: connections, prepared statements, page caches.
walk $((newest - entries - 2000)) 2000 3 >/dev/null
before=$(in_use)
# About 600 misses a second on 2 cores; every article once, then hits (which keep nothing).
misses=$(walk "$newest" "$entries" $((entries / 600 + 5)) | awk '/^misses/ {print $2}')
after=$(in_use)
echo "entries cached: $misses; in use before $before, after $after bytes"
echo "per entry: $(((after - before) / misses)) bytes"
