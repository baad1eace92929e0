#!/usr/bin/env bash
# schemathesis (pinned, requirements.txt) against Kassa's own /openapi.json:
# every check (--checks all) in every phase (examples, coverage, fuzzing,
# stateful), a bounded number of examples per operation, on a fresh Kassa
# ($KASSA_BIN, default target/debug/kassa; a new data dir, port 0) that this
# script starts and stops. Reports go to test-artifacts/schemathesis/.
# Exits non-zero on any failure or error schemathesis reports.
#
# Kassa and schemathesis run in a network namespace of their own with only
# loopback (unshare --net): generated webhook endpoints point at arbitrary
# URLs, and Kassa's delivery worker must not reach any of them.
#
# Knobs: SCHEMATHESIS_MAX_EXAMPLES (default 25 per operation and phase),
# SCHEMATHESIS_SEED (default fixed, so runs repeat), SCHEMATHESIS_WORKERS
# (default 2), SCHEMATHESIS_TIMEOUT (seconds for the whole run, default 1200),
# SCHEMATHESIS_EXCLUDE_CHECKS (checks not to run, comma-separated; default none).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bin="${KASSA_BIN:-$repo/target/debug/kassa}"
out="$repo/test-artifacts/schemathesis"
venv="$here/.venv"

# The namespace schemathesis runs in: `unshare --net` as root, else in a user namespace.
isolation() {
  local candidate try
  for candidate in "unshare --net" "unshare --net --map-root-user"; do
    read -r -a try <<<"$candidate"
    if "${try[@]}" ip link set lo up 2>/dev/null; then echo "$candidate"; return 0; fi
  done
  return 1
}

# `run.sh --can-isolate`: whether this machine can make that namespace (exit status only).
if [[ "${1:-}" == "--can-isolate" ]]; then isolation >/dev/null; exit; fi

if [[ "${1:-}" != "--inside" ]]; then
  # Outside the namespace: install (needs the package registry), then re-enter.
  [[ -x "$bin" ]] || { echo "schemathesis: no Kassa binary at $bin (set KASSA_BIN)" >&2; exit 1; }
  if [[ ! -x "$venv/bin/python" ]]; then python3 -m venv "$venv"; fi
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
  if ! namespace="$(isolation)"; then
    echo "schemathesis: cannot make a loopback-only network namespace (unshare --net, ip from iproute2);" \
      "refusing to fuzz a Kassa whose webhook deliveries could leave the machine" >&2
    exit 1
  fi
  read -r -a isolate <<<"$namespace"
  rm -rf "$out" && mkdir -p "$out"
  exec "${isolate[@]}" bash "$0" --inside
fi

# Inside the namespace: bring loopback up, start Kassa, run schemathesis.
ip link set lo up
data="$(mktemp -d "${TMPDIR:-/tmp}/kassa-schemathesis-XXXXXX")"
kassa_pid=
# shellcheck disable=SC2317  # runs from the EXIT trap
cleanup() {
  if [[ -n "$kassa_pid" ]] && kill -0 "$kassa_pid" 2>/dev/null; then
    kill -TERM "$kassa_pid" 2>/dev/null || true
    wait "$kassa_pid" 2>/dev/null || true
  fi
  rm -rf "$data"
}
trap cleanup EXIT

# The fuzzer creates far more webhook endpoints than Dodo's limit of 5 per
# business; past it every create would be a deliberate 422.
KASSA_DATA_DIR="$data/data" RUST_LOG=warn "$bin" serve --bind 127.0.0.1:0 \
  --webhook-endpoint-limit 1000000 >"$data/stdout" 2>"$out/kassa.log" &
kassa_pid=$!
for _ in $(seq 1 300); do
  grep -q '^Kassa listening on ' "$data/stdout" && break
  kill -0 "$kassa_pid" 2>/dev/null || { echo "schemathesis: kassa exited at start:" >&2; cat "$data/stdout" "$out/kassa.log" >&2; exit 1; }
  sleep 0.1
done
url="$(sed -n 's/^Kassa listening on \([^ ]*\).*/\1/p' "$data/stdout")"
key="$(sed -n 's/^Test API key (shown once): \(sk_test_[^ ]*\).*/\1/p' "$data/stdout")"
[[ -n "$url" && -n "$key" ]] || { echo "schemathesis: kassa did not start:" >&2; cat "$data/stdout" >&2; exit 1; }

seed="${SCHEMATHESIS_SEED:-20261202}"
echo "schemathesis $("$venv/bin/st" --version | sed 's/.*version //') against $url/openapi.json" \
  "(max ${SCHEMATHESIS_MAX_EXAMPLES:-25} examples, seed $seed)"
set +e
# Advancing the test clock is left out: one generated `by` of decades would
# walk every pending retry and expiry, and put the rest of the run in the
# far future. tests run it with spans they choose.
(cd "$data" && PYTHONPATH="$here" SCHEMATHESIS_HOOKS=hooks timeout "${SCHEMATHESIS_TIMEOUT:-1200}" "$venv/bin/st" --config-file "$here/schemathesis.toml" run \
  "$url/openapi.json" \
  --checks all \
  --exclude-operation-id kassa_advance_test_clock \
  ${SCHEMATHESIS_EXCLUDE_CHECKS:+--exclude-checks "$SCHEMATHESIS_EXCLUDE_CHECKS"} \
  --phases examples,coverage,fuzzing,stateful \
  --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-25}" \
  --seed "$seed" \
  --workers "${SCHEMATHESIS_WORKERS:-2}" \
  --header "Authorization: Bearer $key" \
  --request-timeout 10 \
  --generation-database none \
  --no-color \
  --report junit,json \
  --report-junit-path "$out/junit.xml" \
  --report-json-path "$out/report.json") 2>&1 | tee "$out/output.txt"
status=${PIPESTATUS[0]}
set -e
if [[ $status -eq 124 ]]; then echo "schemathesis: timed out after ${SCHEMATHESIS_TIMEOUT:-1200}s" >&2; fi
echo "   schemathesis report: ${out#"$repo"/}/ (output.txt, junit.xml, report.json, kassa.log)"
exit "$status"
