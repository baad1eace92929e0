#!/usr/bin/env bash
# The official dodopayments SDKs (npm and PyPI, pinned) against a real Kassa
# binary ($KASSA_BIN, default target/debug/kassa). Installs their pinned
# dependencies first: npm ci, and a venv for Python. `node` or `python` as
# the argument runs that suite alone; no argument runs both.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if (($# == 0)); then set -- node python; fi

for suite in "$@"; do
  case "$suite" in
    node)
      echo "-- npm: dodopayments $(node -p "require('$here/sdk-node/package.json').dependencies.dodopayments")"
      (cd "$here/sdk-node" && npm ci --no-audit --no-fund --loglevel=error && npm test)
      ;;
    python)
      echo "-- PyPI: $(grep dodopayments "$here/sdk-python/requirements.txt")"
      (
        cd "$here/sdk-python"
        if [[ ! -x .venv/bin/python ]]; then python3 -m venv .venv; fi
        .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
        .venv/bin/python -m pytest -q -rs -p no:cacheprovider
      )
      ;;
    *) echo "run-sdk-tests.sh: unknown suite '$suite' (node, python)" >&2; exit 2 ;;
  esac
done
