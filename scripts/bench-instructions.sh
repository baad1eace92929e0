#!/usr/bin/env bash
# Instructions per request of `POST /checkouts` and of the JSON echo,
# counted by callgrind: deterministic for one binary and input, so a change
# that costs CPU shows up here even when the wall-clock benchmark's noise
# (perf-limits.md: 6-44 % between runs) hides it. Each figure includes the
# client's instructions (the same reqwest code on both sides) and the
# writer's commit, one per request here: the requests run one at a time.
#
# Usage: scripts/bench-instructions.sh [N]   (default 500)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-500}"
few=$((n / 5))
cargo build -q --release -p kassa-bench
bin=target/release/kassa-bench
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

count() { # target requests -> instructions
    valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$bin" calls "$1" "$2" 2>&1 \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
per_request() { # target -> instructions per request
    local a b
    a=$(count "$1" "$few")
    b=$(count "$1" "$n")
    echo $(((b - a) / (n - few)))
}

echo_ir=$(per_request echo)
kassa_ir=$(per_request checkouts)
echo "echo            ${echo_ir} instructions per request (client included)"
echo "POST /checkouts ${kassa_ir} instructions per request (client included)"
awk -v e="$echo_ir" -v k="$kassa_ir" \
    'BEGIN { printf "ratio %.2f (echo / checkouts; the wall-clock ratio as if both were CPU-bound)\n", e / k }'
