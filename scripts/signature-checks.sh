#!/bin/bash
# How many signatures each node verified for one burst, builds alternated, so repeated
# verifications compare in one sitting (docs/performance.md, "Signatures verified twice").
#
#   scripts/signature-checks.sh BINARY_A BINARY_B A B A B ...
#
# For each letter: a fresh 4-validator testnet from that build (`testnet init` under $WORK,
# default /tmp/medledger-signature-checks, ports from $BASE_PORT, default 9600), its four
# nodes started, one `bench $BENCH_ARGS` (default `--duration 15`), then each node's
# `medledger_signature_checks_total` (gossip and block paths) from /metrics. With the
# default burst of 20,000 spread over four nodes, each node is gossiped 15,000 transactions,
# the least it must verify; `above` is what the four verified beyond that.
set -euo pipefail
a=$1 b=$2
shift 2
work=${WORK:-/tmp/medledger-signature-checks} port=${BASE_PORT:-9600}
least=${LEAST:-15000}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/wait-for-nodes.sh
source "$here/lib/wait-for-nodes.sh"
# shellcheck source=lib/fresh-testnet.sh
source "$here/lib/fresh-testnet.sh"
for variant in "$@"; do
  case $variant in A) binary=$a ;; B) binary=$b ;; *) echo "variants are A or B, not $variant" >&2; exit 2 ;; esac
  pids=()
  trap 'kill "${pids[@]}" 2> /dev/null' EXIT
  start_fresh_testnet "$binary" "$work" "$port"
  # shellcheck disable=SC2086
  result=$("$binary" bench "${nodes[@]}" ${BENCH_ARGS:---duration 15} | grep '^RESULT')
  sleep 3
  checks=() above=0
  for url in "${urls[@]}"; do
    n=$(curl -sf "$url/metrics" | awk '/^medledger_signature_checks_total\{/ { s += $2 } END { print s + 0 }')
    checks+=("$n")
    above=$((above + n - least))
  done
  echo "$variant checks=${checks[*]} above=$above $result"
  kill "${pids[@]}"
  wait 2> /dev/null || true
  trap - EXIT
done
