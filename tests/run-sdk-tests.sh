#!/usr/bin/env bash
# The official dodopayments SDKs (npm and PyPI, pinned) against a real Kassa
# binary ($KASSA_BIN, default target/debug/kassa). Installs their pinned
# dependencies first: npm ci, and a venv for Python.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

echo "-- npm: dodopayments $(node -p "require('$here/sdk-node/package.json').dependencies.dodopayments")"
(cd "$here/sdk-node" && npm ci --no-audit --no-fund --loglevel=error && npm test)

echo "-- PyPI: $(grep dodopayments "$here/sdk-python/requirements.txt")"
cd "$here/sdk-python"
if [[ ! -x .venv/bin/python ]]; then python3 -m venv .venv; fi
.venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
.venv/bin/python -m pytest -q -p no:cacheprovider
