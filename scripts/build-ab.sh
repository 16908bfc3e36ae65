#!/bin/bash
# Alternates two builds of medledger on fresh 4-validator testnets, so they compare in one
# sitting (docs/performance.md, "Half-load latency").
#
#   scripts/build-ab.sh BINARY_A BINARY_B A B A B ...
#
# For each letter: a fresh testnet from that build (`testnet init` under $WORK, default
# /tmp/medledger-build-ab, ports from $BASE_PORT, default 9500), its four nodes started, a
# warm-up burst (`bench $WARM_ARGS`, default `--duration 10`), then $RUNS (default 2) runs
# of `bench $BENCH_ARGS` (default `--duration 20 --rate 1650`), each followed by what node0's
# timers recorded during it (scripts/metrics-timers.py), then the nodes are stopped.
set -euo pipefail
a=$1 b=$2
shift 2
work=${WORK:-/tmp/medledger-build-ab} port=${BASE_PORT:-9500} runs=${RUNS:-2}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/wait-for-nodes.sh
source "$here/lib/wait-for-nodes.sh"
# shellcheck source=lib/fresh-testnet.sh
source "$here/lib/fresh-testnet.sh"
for variant in "$@"; do
  case $variant in A) binary=$a ;; B) binary=$b ;; *) echo "variants are A or B, not $variant" >&2; exit 2 ;; esac
  start_fresh_testnet "$binary" "$work" "$port"
  # shellcheck disable=SC2086
  "$binary" bench "${nodes[@]}" ${WARM_ARGS:---duration 10} | grep RESULT | sed "s/^/$variant warm-up /"
  for _ in $(seq 1 "$runs"); do
    python3 "$here/metrics-timers.py" snap "${urls[@]}" > "$work/metrics-before.json"
    # shellcheck disable=SC2086
    "$binary" bench "${nodes[@]}" ${BENCH_ARGS:---duration 20 --rate 1650} | grep RESULT | sed "s/^/$variant /"
    python3 "$here/metrics-timers.py" diff "$work/metrics-before.json" "${urls[0]}" | grep -E "wait|interval"
  done
  kill "${pids[@]}"
  wait "${pids[@]}" 2>/dev/null || true
done
