#!/usr/bin/env bash
# Runs every test: the Rust workspace (unit, property, store conformance on
# SQLite and, when KASSA_TEST_DATABASE_URL is set, PostgreSQL; HTTP API
# tests), then the official npm and PyPI SDK suites against a real Kassa,
# then the hosted checkout page in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -f ../shared/reference/dodo-openapi.json ]]; then
  echo "test.sh: ../shared/reference/dodo-openapi.json is missing (the shared reference dir must sit beside the repo)" >&2
  exit 1
fi

echo "== cargo test (workspace)"
cargo build -p kassa
cargo test --workspace

echo "== official SDK suites"
KASSA_BIN="$PWD/target/debug/kassa" bash tests/run-sdk-tests.sh
echo "== browser suite (headless Chromium via playwright-core)"
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error && KASSA_BIN="$PWD/../../target/debug/kassa" npm test)
echo "   screenshots: test-artifacts/browser/"
echo "== all tests passed"
