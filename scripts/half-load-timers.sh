#!/bin/bash
# Item 1's half-load run, repeated on fresh testnets, with what node0's timers recorded
# during the paced part (docs/performance.md, "The bench's own client").
#
#   scripts/half-load-timers.sh BINARY [RUNS]
#
# For each of RUNS (default 3): a fresh 4-validator testnet (under $WORK, default
# /tmp/medledger-half-load, ports from $BASE_PORT, default 9300), `bench $BENCH_ARGS`
# (default `--half-load --duration 15`). Once the bench starts its paced part (its second
# "submitting for" line; set PACED_AT=1 for a plain `--rate` run), node0's timers are
# snapshotted and the bench's and nodes' CPU ticks read (/proc/PID/stat, 100 = one
# core-second) over 8 s; after the run, the timers' change (scripts/metrics-timers.py), the
# bench's summary of its own CPU and lateness, and its RESULT lines. Then the nodes stop.
set -euo pipefail
[ $# -ge 1 ] || { sed -n 2,13p "$0"; exit 2; }
binary=$1 runs=${2:-3}
work=${WORK:-/tmp/medledger-half-load} port=${BASE_PORT:-9300} paced_at=${PACED_AT:-2}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/wait-for-nodes.sh
source "$here/lib/wait-for-nodes.sh"
# shellcheck source=lib/fresh-testnet.sh
source "$here/lib/fresh-testnet.sh"
# shellcheck source=lib/cpu-ticks.sh
source "$here/lib/cpu-ticks.sh"
pids=()
stop_nodes() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop_nodes EXIT
for run in $(seq 1 "$runs"); do
  start_fresh_testnet "$binary" "$work" "$port"
  # Line-buffered, so the paced part's start shows in the file while the bench runs.
  # shellcheck disable=SC2086
  stdbuf -oL "$binary" bench "${nodes[@]}" ${BENCH_ARGS:---half-load --duration 15} > "$work/bench.out" 2>&1 &
  bench=$!
  until [ "$(grep -c 'submitting for' "$work/bench.out")" -ge "$paced_at" ]; do
    kill -0 "$bench" 2>/dev/null || { cat "$work/bench.out" >&2; exit 1; }
    sleep 0.2
  done
  python3 "$here/metrics-timers.py" snap "${urls[0]}" > "$work/metrics-before.json"
  sleep 3
  b0=$(ticks "$bench") n0=$(sum_ticks "${pids[@]}")
  sleep 8
  if kill -0 "$bench" 2>/dev/null; then
    b1=$(ticks "$bench") n1=$(sum_ticks "${pids[@]}")
    cpu="the bench used $((b1 - b0)) ticks, the nodes $((n1 - n0))"
  else
    cpu="no figure: the bench ended first (give it --duration 15 or more)"
  fi
  wait "$bench"
  echo "run $run: over 8 s of the paced part $cpu"
  python3 "$here/metrics-timers.py" diff "$work/metrics-before.json" "${urls[0]}" | grep -E "block_|wait" || true
  grep -E "while loading|batches, each|RESULT" "$work/bench.out" || true
  stop_nodes
  pids=()
done
