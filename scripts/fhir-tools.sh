#!/usr/bin/env bash
# The FHIR facade checked by independent tools (Tests/FHIR/test_facade.py): starts
# `medledger demo --serve` on 127.0.0.1:PORT with a fresh data directory, waits for its
# "Portal: URL" and "key <name> <path>" lines, runs the Python checks (fhir.resources R4B,
# fhirclient, fhirpy, requests, cryptography), stops the node.
#
#   scripts/fhir-tools.sh [MEDLEDGER_BINARY]
#
# Builds nothing itself: pass the binary (e.g. .build/debug/medledger) or it uses
# `swift run medledger`. Environment: FHIR_TOOLS_PORT (default 18710), FHIR_PYTHON (default
# .venv-fhir/bin/python, else python3; it needs
# `pip install fhir.resources fhirclient fhirpy requests cryptography`). Exits non-zero when
# any check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/processes.sh
source scripts/lib/processes.sh

port=${FHIR_TOOLS_PORT:-18710}
if [ $# -ge 1 ]; then
    medledger=$1
else
    medledger="swift run --skip-build medledger"
    swift build --product medledger >/dev/null 2>&1 || medledger="swift run medledger"
fi
python=$(pick_python "${FHIR_PYTHON:-}" .venv-fhir/bin/python python3)
"$python" -c 'import fhir.resources.R4B, fhirclient, fhirpy, requests, cryptography' || {
    echo "fhir-tools: $python lacks a package: pip install fhir.resources fhirclient fhirpy requests cryptography"
    exit 2
}

work=$(mktemp -d)
log="$work/demo.log"
echo "== fhir tools: medledger demo --serve --http 127.0.0.1:$port (data in $work/demo)"
# shellcheck disable=SC2086 # $medledger may be "swift run medledger"
$medledger demo --serve --http "127.0.0.1:$port" --data-dir "$work/demo" >"$log" 2>&1 &
node_pid=$!
stop() {
    stop_process "$node_pid"
    rm -rf "$work"
}
trap stop EXIT

wait_for_line fhir-tools "$log" "$node_pid" '^Portal: http' 300
url=$(sed -n 's/^Portal: \(http[^ ]*\).*/\1/p' "$log" | head -n 1)
for _ in $(seq 1 20); do grep -q '^key patient ' "$log" && break; sleep 0.25; done
echo "== node at $url"
"$python" Tests/FHIR/test_facade.py --url "$url" --demo-log "$log"
