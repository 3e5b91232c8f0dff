#!/usr/bin/env bash
# Renders the demo article's body_html in headless Chromium, as a frontend would (the HTML
# as the API sends it), in a phone-sized window, and checks that every photo loaded and that
# the browser chose a small WebP rendition from the srcset rather than the full-size file.
# Usage: scripts/check-demo-pictures-in-browser.sh http://127.0.0.1:PORT
set -euo pipefail
base=${1:?base URL}
slug=humiao-safety-training-nanshan
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "chromium is needed: apt-get install -y chromium" >&2; exit 1; }
# The demo's pictures are stored in the background after start: wait for them.
for _ in $(seq 1 150); do
  if curl -fsS "$base/api/v1/articles/$slug" | python3 -c '
import json, sys
images = json.load(sys.stdin)["images"]
sys.exit(0 if images and all(image["renditions"] for image in images) else 1)'; then
    break
  fi
  sleep 0.4
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/page.html" <<HTML
<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<base href="$base/"></head>
<body><article id="body"></article><pre id="result">pending</pre>
<script>
(async () => {
  const article = await (await fetch("$base/api/v1/articles/$slug")).json();
  document.getElementById("body").innerHTML = article.body_html;
  const images = [...document.querySelectorAll("#body img")];
  // Lazy images load once near the viewport: bring each into view in turn.
  for (const img of images) {
    img.scrollIntoView();
    await new Promise((done) => (img.complete ? done() : (img.onload = img.onerror = done)));
  }
  document.getElementById("result").textContent = images
    .map((img) => ["IMG", img.dataset.mediaId || "-", img.naturalWidth, img.currentSrc].join(" "))
    .join("\n");
})();
</script></body></html>
HTML
dom=$(timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" --window-size=412,900 --virtual-time-budget=20000 \
  --allow-file-access-from-files --dump-dom "file://$work/page.html" 2>/dev/null)
lines=$(grep -o 'IMG [^<]*' <<<"$dom" | sed 's/&amp;/\&/g' || true)
echo "$lines"
expected=$(curl -fsS "$base/api/v1/articles/$slug" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["images"]))')
python3 - "$expected" <<PY
import sys
expected = int(sys.argv[1])
lines = [line.split() for line in """$lines""".splitlines() if line.strip()]
problems = []
if len(lines) != expected or expected == 0:
    problems.append(f"{len(lines)} pictures rendered, {expected} expected")
for _, media_id, width, src in lines:
    if media_id == "-":
        problems.append(f"{src}: no data-media-id")
    if int(width) == 0:
        problems.append(f"{src}: did not load")
    if not (src.endswith(".webp") and src.rsplit("/", 1)[-1].startswith("w")):
        problems.append(f"{src}: not a WebP rendition from the srcset")
if problems:
    sys.exit("demo pictures in the browser:\n  " + "\n  ".join(problems))
print(f"demo pictures in the browser: {len(lines)} of {expected} loaded as WebP renditions")
PY
