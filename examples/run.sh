#!/usr/bin/env bash
# The two example integrations against a real Kassa ($KASSA_BIN, default
# target/debug/kassa): each one's pinned dependencies installed first (npm ci;
# a venv in examples/python/.venv), then its test. `node` or `python` as the
# argument runs that one alone; no argument runs both.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${KASSA_BIN:-$here/../target/debug/kassa}"
[[ "$bin" == /* ]] || bin="$PWD/$bin"
export KASSA_BIN="$bin"
if (($# == 0)); then set -- node python; fi

for example in "$@"; do
  case "$example" in
    node)
      echo "-- examples/node: dodopayments $(node -p "require('$here/node/package.json').dependencies.dodopayments")"
      (cd "$here/node" && npm ci --no-audit --no-fund --loglevel=error && npm test)
      ;;
    python)
      echo "-- examples/python: $(grep dodopayments "$here/python/requirements.txt")"
      (
        cd "$here/python"
        if [[ ! -x .venv/bin/python ]]; then python3 -m venv .venv; fi
        .venv/bin/pip install -q --disable-pip-version-check -r requirements-test.txt
        .venv/bin/python -m pytest -q -p no:cacheprovider
      )
      ;;
    *) echo "examples/run.sh: unknown example '$example' (node, python)" >&2; exit 2 ;;
  esac
done
