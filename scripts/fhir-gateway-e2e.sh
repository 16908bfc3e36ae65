#!/usr/bin/env bash
# The FHIR gateway checked by fhir.resources, fhirclient and fhirpy (Tests/FHIR/test_gateway.py): starts
# `medledger demo --serve` (a node with the demo's cast) and `medledger fhir gateway` with the
# demo's lab technician key, runs the suite, stops both.
#
#   scripts/fhir-gateway-e2e.sh [MEDLEDGER_BINARY]
#
# Environment: FHIR_E2E_PORT (node; the gateway takes the next port; default 18810),
# FHIR_PYTHON (default .venv-fhir/bin/python, else python3; needs
# `pip install fhir.resources fhirclient fhirpy`). Exits non-zero when any step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/processes.sh
source scripts/lib/processes.sh

port=${FHIR_E2E_PORT:-18810}
gateway_port=$((port + 1))
medledger=${1:-$(swift build --show-bin-path)/medledger}
python=$(pick_python "${FHIR_PYTHON:-}" .venv-fhir/bin/python python3)
"$python" -c 'import fhir.resources.R4B, fhirclient, fhirpy' || {
    echo "fhir-gateway-e2e: $python lacks a package: pip install fhir.resources fhirclient fhirpy"
    exit 2
}
work=$(mktemp -d)
pids=()
stop() {
    for pid in "${pids[@]}"; do stop_process "$pid"; done
    rm -rf "$work"
}
trap stop EXIT

echo "== fhir gateway e2e: demo --serve on 127.0.0.1:$port, gateway on 127.0.0.1:$gateway_port"
"$medledger" demo --serve --http "127.0.0.1:$port" --data-dir "$work/demo" >"$work/demo.log" 2>&1 &
pids+=($!)
wait_for_line fhir-gateway-e2e "$work/demo.log" "${pids[0]}" '^Portal: ' 120
genesis=$(find "$work/demo" -name genesis.json | sort | head -n 1)
"$medledger" fhir gateway --key "$work/demo/demo-keys/lab-technician.json" --node "http://127.0.0.1:$port" \
    --genesis "$genesis" --listen "127.0.0.1:$gateway_port" --store "$work/gateway-store" >"$work/gateway.log" 2>&1 &
pids+=($!)
wait_for_line fhir-gateway-e2e "$work/gateway.log" "${pids[1]}" '^FHIR gateway: ' 20

FHIR_GATEWAY="http://127.0.0.1:$gateway_port/fhir" MEDLEDGER_NODE="http://127.0.0.1:$port" \
    MEDLEDGER_GENESIS="$genesis" MEDLEDGER_BIN="$medledger" DEMO_KEYS="$work/demo/demo-keys" FHIR_WORK="$work" \
    GATEWAY_STORE="$work/gateway-store" \
    "$python" Tests/FHIR/test_gateway.py || { echo "--- gateway log"; tail -n 40 "$work/gateway.log"; exit 1; }
