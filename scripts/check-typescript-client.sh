#!/usr/bin/env bash
# A TypeScript client generated from the committed spec (openapi-typescript + openapi-fetch)
# must type-check clients/typescript/check.ts under tsc --strict --exactOptionalPropertyTypes
# --noUncheckedIndexedAccess, and that program must call every write operation of the spec.
set -euo pipefail
cd "$(dirname "$0")/../clients/typescript"
python3 - <<'PY'
import json, re, sys
spec = json.load(open("../../openapi/openapi.json"))
program = open("check.ts", encoding="utf-8").read()
called = set(re.findall(r'api\.(POST|PUT|PATCH|DELETE)\("([^"]+)"', program))
missing = [
    f"{method.upper()} {path}"
    for path, item in spec["paths"].items()
    for method in ("post", "put", "patch", "delete")
    if method in item and (method.upper(), path) not in called
]
if missing:
    sys.exit("clients/typescript/check.ts does not call: " + ", ".join(missing))
PY
npm ci --no-audit --no-fund --loglevel=error
npm run -s generate
npm run -s check
echo "TypeScript client: every write operation type-checks"
