#!/usr/bin/env bash
# Renders /docs/ in headless Chromium with every non-loopback request sent to a dead proxy,
# and checks that Swagger UI drew every operation of the spec: the docs page works with no
# internet. Usage: scripts/check-docs-offline.sh http://127.0.0.1:PORT
set -euo pipefail
base=${1:?base URL}
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "chromium is needed: apt-get install -y chromium" >&2; exit 1; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
dom=$(timeout 90 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --proxy-server=127.0.0.1:9 --user-data-dir="$profile" --virtual-time-budget=10000 \
  --dump-dom "$base/docs/" 2>/dev/null)
expected=$(curl -fsS "$base/openapi.json" | python3 -c 'import json,sys; print(sum(len(v) for v in json.load(sys.stdin)["paths"].values()))')
rendered=$(grep -o 'class="opblock-summary-path"' <<<"$dom" | wc -l)
echo "docs page offline: $rendered of $expected operations rendered"
[ "$rendered" -eq "$expected" ] && [ "$expected" -gt 0 ]
