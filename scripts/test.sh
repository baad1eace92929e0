#!/usr/bin/env bash
# Runs every test: the Rust workspace (unit, property, store conformance and
# HTTP API tests on SQLite and, when KASSA_TEST_DATABASE_URL is set,
# PostgreSQL), then the official npm and PyPI SDK suites against a real Kassa,
# the hosted checkout page in headless Chromium, the examples, and
# schemathesis against Kassa's own /openapi.json.
#
# Dodo's OpenAPI document is $KASSA_DODO_OPENAPI, else
# ../shared/reference/dodo-openapi.json beside the repo; where it is absent
# the checks against it are skipped (Kassa's own document is always checked).
# A suite whose tool is missing (node/npm, python3 with venv, Chromium, a
# network namespace for schemathesis) is skipped with one line saying why.
# Under CI=true every one of these is a failure instead of a skip.
#
# PostgreSQL: without KASSA_TEST_DATABASE_URL, a server answering on
# 127.0.0.1:5432 with a database `test` is used (CI's setup, trust auth);
# without either, each PostgreSQL test records its skip in the file
# KASSA_PG_SKIP_LOG names and one line counts them (under CI=true they fail).
set -euo pipefail
caller="$PWD"
cd "$(dirname "$0")/.."

skipped=()
# missing SUITE WHY: one line and go on, or under CI=true fail the run.
missing() {
  if [[ "${CI:-}" == "true" ]]; then
    echo "test.sh: $1 cannot run: $2 (CI=true: a missing prerequisite is a failure)" >&2
    exit 1
  fi
  echo "skipped: $1 ($2)"
  skipped+=("$1")
}

# Dodo's OpenAPI document, resolved once; the suites read KASSA_DODO_OPENAPI.
dodo="${KASSA_DODO_OPENAPI:-$PWD/../shared/reference/dodo-openapi.json}"
[[ "$dodo" == /* ]] || dodo="$caller/$dodo"
if [[ -f "$dodo" ]]; then
  dodo="$(cd "$(dirname "$dodo")" && pwd)/$(basename "$dodo")"
  echo "Dodo's OpenAPI document: $dodo"
fi
export KASSA_DODO_OPENAPI="$dodo"
if [[ ! -f "$dodo" ]]; then
  missing "Dodo-schema checks" "no dodo-openapi.json: set KASSA_DODO_OPENAPI or put ../shared beside the repo"
fi

have_node=false
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then have_node=true; fi
have_venv=false
if python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then have_venv=true; fi
chromium="${CHROMIUM:-/usr/bin/chromium}"
no_node="node and npm not found"
no_venv="python3 cannot make a venv: needs python3 with venv and ensurepip, Debian's python3-venv"

# PostgreSQL for the Rust tests: the configured one, else a local one, else
# the PostgreSQL tests skip and are counted below.
local_pg="postgres://postgres@127.0.0.1:5432/test"
if [[ -z "${KASSA_TEST_DATABASE_URL:-}" ]]; then
  found=""
  if command -v psql >/dev/null 2>&1; then
    # Proves the server, the trust login and the database at once.
    if PGCONNECT_TIMEOUT=3 psql -w "$local_pg" -Atqc 'SELECT 1' >/dev/null 2>&1; then found="psql reached database test"; fi
  elif command -v pg_isready >/dev/null 2>&1; then
    if pg_isready -h 127.0.0.1 -p 5432 -d test -t 3 -q; then found="pg_isready; database test not checked"; fi
  elif (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
    found="a port answers; database test not checked"
  fi
  if [[ -n "$found" ]]; then
    export KASSA_TEST_DATABASE_URL="$local_pg"
    echo "KASSA_TEST_DATABASE_URL not set: using the PostgreSQL on 127.0.0.1:5432 ($found)"
  fi
fi
pg_skips="$(mktemp)"
trap 'rm -f "$pg_skips"' EXIT
export KASSA_PG_SKIP_LOG="$pg_skips"

echo "== cargo test (workspace)"
cargo build -p kassa
cargo test --workspace
pg_skipped="$(wc -l <"$pg_skips" | tr -d ' ')"
if ((pg_skipped > 0)); then
  echo "skipped $pg_skipped PostgreSQL tests (KASSA_TEST_DATABASE_URL not set)"
  skipped+=("$pg_skipped PostgreSQL tests")
fi
export KASSA_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/kassa"

echo "== official SDK suites"
if $have_node; then bash tests/run-sdk-tests.sh node; else missing "npm SDK suite (tests/sdk-node)" "$no_node"; fi
if $have_venv; then bash tests/run-sdk-tests.sh python; else missing "PyPI SDK suite (tests/sdk-python)" "$no_venv"; fi

echo "== browser suite (headless Chromium via playwright-core)"
if ! $have_node; then
  missing "browser suite (tests/browser)" "$no_node"
elif [[ ! -x "$chromium" ]]; then
  missing "browser suite (tests/browser)" "no Chromium at $chromium (Debian's chromium package, or set CHROMIUM)"
else
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error && npm test)
  echo "   screenshots: test-artifacts/browser/"
fi

echo "== examples"
if $have_node; then bash examples/run.sh node; else missing "examples/node" "$no_node"; fi
if $have_venv; then bash examples/run.sh python; else missing "examples/python" "$no_venv"; fi

echo "== schemathesis (Kassa's own /openapi.json)"
if ! $have_venv; then
  missing "schemathesis (tests/schemathesis)" "$no_venv"
elif ! bash tests/schemathesis/run.sh --can-isolate; then
  missing "schemathesis (tests/schemathesis)" \
    "cannot make a loopback-only network namespace (unshare --net and iproute2's ip) to keep its webhook deliveries in"
else
  bash tests/schemathesis/run.sh
fi

if ((${#skipped[@]})); then
  list="$(printf '%s; ' "${skipped[@]}")"
  echo "== all tests that could run passed; skipped: ${list%; }"
else
  echo "== all tests passed"
fi
