# Sourced by the scripts that start a fresh testnet (build-ab.sh, bursts-in-a-row.sh,
# half-load-timers.sh, node-cpu.sh, signature-checks.sh). Needs lib/wait-for-nodes.sh sourced
# first.
#
# testnet_addresses PORT: sets `urls` (the four nodes' API addresses, from PORT in steps of
# 10) and `nodes` (the same as `--node` options for `medledger bench`).
testnet_addresses() {
  urls=() nodes=()
  for k in 0 1 2 3; do
    urls+=("http://127.0.0.1:$(($1 + 10 * k))")
    nodes+=(--node "http://127.0.0.1:$(($1 + 10 * k))")
  done
}

# start_fresh_testnet BINARY WORK PORT: a new 4-validator testnet under WORK (removed first)
# made and run by BINARY, the nodes niced so the load generator is not starved; sets `pids`.
# Returns once every node answers and 3 s more, for the peers to link.
start_fresh_testnet() {
  rm -rf "$2"
  "$1" testnet init --validators 4 --dir "$2" --base-port "$3" > /dev/null
  pids=()
  for k in 0 1 2 3; do
    nice -n 5 "$1" node start --data-dir "$2/node$k" > "$2/node$k.log" 2>&1 &
    pids+=($!)
  done
  testnet_addresses "$3"
  wait_for_nodes "${urls[@]}"
  sleep 3
}
