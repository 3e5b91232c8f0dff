#!/usr/bin/env bash
# A real S3-compatible server on 127.0.0.1 for the media store's S3 tests (src/storage/tests.rs),
# installed from crates.io when missing, with a throw-away data folder and test credentials.
#
#   eval "$(scripts/s3-test-server.sh start)"   # installs if needed, starts, prints `export …` lines
#   cargo test --locked storage                 # the s3::* tests now run (MASTHEAD_TEST_REQUIRE_S3=1 to insist)
#   scripts/s3-test-server.sh stop              # stops it and removes its folder (uses the exported variables)
#   scripts/s3-test-server.sh install           # only install
#
# Servers (MASTHEAD_S3_SERVER, default s3s-fs):
# - s3s-fs 0.14.1 (the s3s project's file-system server): `cargo install` in about 2 minutes on 2
#   cores (a debug build; speed does not matter here). Real S3 protocol, SigV4 checked, but two
#   limits of its file-system layout, which the tests know about: a key of more than about 180
#   characters fails (it stores a file named after the whole key, base64-encoded), and a GET on a
#   key that is a "folder" of other keys is a 500 instead of a 404.
# - garage 2.5.0 (a production S3 store, single node): no such limits, but `cargo install` takes
#   about 6-8 minutes on 2 cores (debug build, ~600 crates).
# The last version of each that builds with this project's Rust 1.95 is pinned.
#
# Other settings: MASTHEAD_S3_PORT (default 9014; garage also takes the next port for its RPC),
# MASTHEAD_S3_TOOLS (where servers are installed; default ~/.cache/masthead-tools).
# Everything but the `export` lines goes to stderr, so `eval "$(…)"` sees only those.
set -euo pipefail

server=${MASTHEAD_S3_SERVER:-s3s-fs}
port=${MASTHEAD_S3_PORT:-9014}
tools=${MASTHEAD_S3_TOOLS:-$HOME/.cache/masthead-tools}
bucket=masthead-test
# Fixed, test-only credentials in the form Garage requires (GK + 24 hex; 64 hex).
access_key=GK6d617374686561642d746573
secret_key=6d617374686561642d746573742d7365637265742d6f6e6c792d666f722d6369

s3s_fs_version=0.14.1
garage_version=2.5.0

log() { printf '%s\n' "$*" >&2; }
die() { log "s3-test-server: $*"; exit 1; }

binary() {
  case "$server" in
    s3s-fs) echo "$tools/s3s-fs-$s3s_fs_version/bin/s3s-fs" ;;
    garage) echo "$tools/garage-$garage_version/bin/garage" ;;
    *) die "unknown server '$server' (MASTHEAD_S3_SERVER is s3s-fs or garage)" ;;
  esac
}

install() {
  local bin
  bin=$(binary)
  [ -x "$bin" ] && return 0
  command -v cargo >/dev/null || die "cargo is needed to install $server"
  local started=$SECONDS
  log "installing $server from crates.io into ${bin%/bin/*} (a few minutes) ..."
  # Its own temporary target folder, whatever CARGO_TARGET_DIR says; a debug build is
  # fast to compile and fast enough to serve tests.
  case "$server" in
    s3s-fs)
      env -u CARGO_TARGET_DIR cargo install --quiet --locked --debug \
        s3s-fs --version "$s3s_fs_version" --features binary --root "${bin%/bin/*}" >&2
      ;;
    garage)
      env -u CARGO_TARGET_DIR cargo install --quiet --locked --debug \
        garage --version "$garage_version" --root "${bin%/bin/*}" >&2
      ;;
  esac
  log "installed $server in $((SECONDS - started)) s"
}

wait_for_http() {
  for _ in $(seq 1 150); do
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" || true)
    [ "$code" != "000" ] && return 0
    sleep 0.2
  done
  return 1
}

start() {
  install
  local bin dir
  bin=$(binary)
  if curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then
    die "something already listens on 127.0.0.1:$port (set MASTHEAD_S3_PORT)"
  fi
  dir=$(mktemp -d "${TMPDIR:-/tmp}/masthead-s3.XXXXXX")
  case "$server" in
    s3s-fs)
      mkdir -p "$dir/data/$bucket"
      nohup "$bin" --host 127.0.0.1 --port "$port" \
        --access-key "$access_key" --secret-key "$secret_key" "$dir/data" \
        >"$dir/server.log" 2>&1 </dev/null &
      echo $! >"$dir/pid"
      wait_for_http || { tail -n 20 "$dir/server.log" >&2; die "s3s-fs did not start"; }
      ;;
    garage)
      cat >"$dir/garage.toml" <<TOML
metadata_dir = "$dir/meta"
data_dir = "$dir/data"
db_engine = "sqlite"
replication_factor = 1
rpc_bind_addr = "127.0.0.1:$((port + 1))"
rpc_public_addr = "127.0.0.1:$((port + 1))"
rpc_secret = "$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')"

[s3_api]
s3_region = "us-east-1"
api_bind_addr = "127.0.0.1:$port"
root_domain = ".s3.localhost"
TOML
      local garage=("$bin" -c "$dir/garage.toml")
      nohup "${garage[@]}" server >"$dir/server.log" 2>&1 </dev/null &
      echo $! >"$dir/pid"
      wait_for_http || { tail -n 20 "$dir/server.log" >&2; die "garage did not start"; }
      local node
      for _ in $(seq 1 50); do
        node=$("${garage[@]}" node id -q 2>/dev/null | cut -d@ -f1) && [ -n "$node" ] && break
        sleep 0.2
      done
      [ -n "${node:-}" ] || die "garage did not report its node id"
      "${garage[@]}" layout assign -z local -c 1G "$node" >&2
      "${garage[@]}" layout apply --version 1 >&2
      "${garage[@]}" key import --yes "$access_key" "$secret_key" >&2
      for _ in $(seq 1 50); do
        "${garage[@]}" bucket create "$bucket" >/dev/null 2>&1 && break
        sleep 0.2
      done
      "${garage[@]}" bucket allow --read --write --owner "$bucket" --key "$access_key" >&2
      ;;
  esac
  log "$server listens on 127.0.0.1:$port (data and log in $dir)"
  cat <<ENV
export MASTHEAD_TEST_S3_URL='s3://$bucket?endpoint=http://127.0.0.1:$port&region=us-east-1&allow_http=true'
export AWS_ACCESS_KEY_ID='$access_key'
export AWS_SECRET_ACCESS_KEY='$secret_key'
export MASTHEAD_TEST_S3_SERVER='$server'
export MASTHEAD_TEST_S3_DIR='$dir'
ENV
}

stop() {
  local dir=${MASTHEAD_TEST_S3_DIR:-}
  [ -n "$dir" ] && [ -f "$dir/pid" ] || die "MASTHEAD_TEST_S3_DIR names no running test server"
  kill "$(cat "$dir/pid")" 2>/dev/null || true
  rm -rf "$dir"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  install) install ;;
  *) die "usage: $0 [start|stop|install]" ;;
esac
