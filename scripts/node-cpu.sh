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
dir=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
"$binary" testnet init --validators 4 --dir "$dir" --base-port "$port" > /dev/null
for k in 0 1 2 3; do
    nice -n 5 "$binary" node start --data-dir "$dir/node$k" > "$dir/node$k.log" 2>&1 &
    pids+=($!)
done
source "$(dirname "$0")/lib/wait-for-nodes.sh"
urls=() nodes=()
for k in 0 1 2 3; do
    urls+=("http://127.0.0.1:$((port + 10 * k))")
    nodes+=(--node "http://127.0.0.1:$((port + 10 * k))")
done
wait_for_nodes "${urls[@]}"
sleep 3
source "$(dirname "$0")/lib/cpu-ticks.sh"
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
