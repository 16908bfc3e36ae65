#!/usr/bin/env bash
# The CPU a paced load costs: a fresh 4-validator testnet, `bench --duration 20 --rate RATE`,
# and over 10 s of the paced part the nodes' and the bench's CPU ticks (/proc/PID/stat, 100
# ticks = 1 core-second) and node0's heights (docs/performance.md, "Requests, not heights").
#
#     scripts/node-cpu.sh BINARY BASE_PORT RATE
#
# The nodes make heights back to back whenever anything is pending, so on a full machine the
# ticks show the machine's size more than the load's cost; compare runs whose heights differ.
set -euo pipefail
[ $# -eq 3 ] || { sed -n 2,9p "$0"; exit 2; }
binary=$1 port=$2 rate=$3
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/wait-for-nodes.sh
source "$here/lib/wait-for-nodes.sh"
# shellcheck source=lib/fresh-testnet.sh
source "$here/lib/fresh-testnet.sh"
dir=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
start_fresh_testnet "$binary" "$dir/testnet" "$port"
# shellcheck source=lib/cpu-ticks.sh
source "$here/lib/cpu-ticks.sh"
height() { curl -s "${urls[0]}/v1/status" | python3 -c 'import json, sys; print(json.load(sys.stdin)["height"])'; }
"$binary" bench "${nodes[@]}" --duration 20 --rate "$rate" > "$dir/bench.out" &
bench=$!
sleep 6  # signing ahead, the idle wait and the ceiling
h0=$(height) b0=$(ticks $bench) n0=$(sum_ticks "${pids[@]}")
sleep 10
h1=$(height) b1=$(ticks $bench) n1=$(sum_ticks "${pids[@]}")
wait $bench
echo "over 10 s: nodes $((n1 - n0)) ticks, bench $((b1 - b0)) ticks, heights $((h1 - h0))"
grep RESULT "$dir/bench.out"
