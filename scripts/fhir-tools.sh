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

port=${FHIR_TOOLS_PORT:-18710}
if [ $# -ge 1 ]; then
    medledger=$1
else
    medledger="swift run --skip-build medledger"
    swift build --product medledger >/dev/null 2>&1 || medledger="swift run medledger"
fi
python=${FHIR_PYTHON:-}
if [ -z "$python" ]; then
    for candidate in .venv-fhir/bin/python python3; do
        if command -v "$candidate" >/dev/null 2>&1; then python=$candidate; break; fi
    done
fi
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
    if kill -0 "$node_pid" 2>/dev/null; then
        kill -TERM "$node_pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$node_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$node_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap stop EXIT

url=""
for _ in $(seq 1 600); do
    url=$(sed -n 's/^Portal: \(http[^ ]*\).*/\1/p' "$log" | head -n 1)
    [ -n "$url" ] && break
    if ! kill -0 "$node_pid" 2>/dev/null; then
        echo "fhir-tools: the demo exited before serving:"; tail -n 40 "$log"; exit 1
    fi
    sleep 0.5
done
if [ -z "$url" ]; then echo "fhir-tools: no 'Portal:' line after 300 s:"; tail -n 40 "$log"; exit 1; fi
for _ in $(seq 1 20); do grep -q '^key patient ' "$log" && break; sleep 0.25; done
echo "== node at $url"
"$python" Tests/FHIR/test_facade.py --url "$url" --demo-log "$log"
