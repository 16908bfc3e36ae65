#!/bin/bash
# Bursts in a row on one testnet whose nodes are never restarted, so the chain grows by the
# bench's own blocks (docs/performance.md, "A chain grown by bursts (item 2)"). `bench
# --preload` compares a fresh chain with one built offline; this shows what a chain that
# grew by real load does.
#
#   scripts/bursts-in-a-row.sh BINARY [BURSTS]
#
# A fresh 4-validator testnet under $WORK (default /tmp/medledger-bursts, ports from
# $BASE_PORT, default 9700), then BURSTS (default 12) runs of `bench $BENCH_ARGS` (default
# `--duration 15`, 20,000 registrations each), printing for each its RESULT fields, the
# chain's height and node0's resident memory. Then the nodes restart once and one more
# burst runs, to tell growth from the process's age.
set -euo pipefail
[ $# -ge 1 ] || { sed -n 2,13p "$0"; exit 2; }
binary=$1 bursts=${2:-12}
work=${WORK:-/tmp/medledger-bursts} port=${BASE_PORT:-9700}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/wait-for-nodes.sh
source "$here/lib/wait-for-nodes.sh"
# shellcheck source=lib/fresh-testnet.sh
source "$here/lib/fresh-testnet.sh"

stop_nodes() { kill "${pids[@]}" 2> /dev/null || true; wait "${pids[@]}" 2> /dev/null || true; }
trap stop_nodes EXIT

burst() {
  local result height rss
  # shellcheck disable=SC2086 # BENCH_ARGS is a list of options
  result=$("$binary" bench "${nodes[@]}" ${BENCH_ARGS:---duration 15} 2>&1 | grep -E '^RESULT ' |
    sed -E 's/ p50_ms=[^ ]+ p99_ms=[^ ]+//; s/ ceiling_after_tx_per_s=.*//')
  height=$(curl -sf "${urls[0]}/v1/status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["height"])')
  rss=$(awk '/VmRSS/ {print $2}' "/proc/${pids[0]}/status")
  echo "$1 $(date -u +%T) $result height=$height node0_rss_kb=$rss"
}

start_fresh_testnet "$binary" "$work" "$port"
for run in $(seq 1 "$bursts"); do burst "burst$run"; done
stop_nodes
pids=()
for k in 0 1 2 3; do
  nice -n 5 "$binary" node start --data-dir "$work/node$k" >> "$work/node$k.log" 2>&1 &
  pids+=($!)
done
wait_for_nodes "${urls[@]}"
sleep 3
burst "restarted"
