#!/bin/bash
# Alternates bursts on an existing 4-node testnet with and without an environment setting
# for `node start`, so the two compare in one sitting (docs/performance.md).
#
#   scripts/node-env-ab.sh TESTNET_DIR 'NAME=VALUE' A B A B ...
#
# A starts the nodes without the setting, B with it; each letter is one start, one
# `medledger bench $BENCH_ARGS` (default `--duration 15`), one stop, and prints the bench's
# RESULT line.
set -euo pipefail
# shellcheck source=lib/wait-for-nodes.sh
source "$(dirname "$0")/lib/wait-for-nodes.sh"
dir=$1 setting=$2
shift 2
R=${R:-.build/release/medledger}
urls=()
for k in 0 1 2 3; do
  address=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["http"])' "$dir/node$k/network.json")
  urls+=("http://$address")
done
nodes=()
for url in "${urls[@]}"; do nodes+=(--node "$url"); done
for variant in "$@"; do
  for k in 0 1 2 3; do
    if [ "$variant" = B ]; then
      env "$setting" nice -n 5 "$R" node start --data-dir "$dir/node$k" > "$dir/node$k.ab.log" 2>&1 &
    else
      nice -n 5 "$R" node start --data-dir "$dir/node$k" > "$dir/node$k.ab.log" 2>&1 &
    fi
  done
  wait_for_nodes "${urls[@]}"
  sleep 3
  echo "$variant $(date -u +%T) $("$R" bench "${nodes[@]}" ${BENCH_ARGS:---duration 15} 2>&1 | grep -E '^RESULT ')"
  pkill -f "node start --data-dir $dir/" || true
  sleep 3
done
