#!/usr/bin/env bash
# End-to-end browser suite for the portal (Tests/Portal/test_portal.py) against a real node:
# starts `medledger demo --serve` on 127.0.0.1:PORT with a fresh data directory, waits for
# its "Portal: URL" line, runs the Selenium suite in headless Chromium, stops the node.
#
#   scripts/portal-e2e.sh [MEDLEDGER_BINARY]
#
# Builds nothing itself: pass the binary (e.g. .build/debug/medledger) or it uses
# `swift run medledger` (which builds if needed). Environment: PORTAL_E2E_PORT (default
# 18510), PORTAL_PYTHON (default .venv-portal/bin/python, else python3),
# PORTAL_E2E_OUT (default test-output/portal). Exits non-zero when any step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/processes.sh
source scripts/lib/processes.sh

port=${PORTAL_E2E_PORT:-18510}
out=${PORTAL_E2E_OUT:-test-output/portal}
if [ $# -ge 1 ]; then
    medledger=$1
else
    medledger="swift run --skip-build medledger"
    swift build --product medledger >/dev/null 2>&1 || medledger="swift run medledger"
fi
python=$(pick_python "${PORTAL_PYTHON:-}" .venv-portal/bin/python python3)
for tool in "${CHROMIUM:-/usr/bin/chromium}" "${CHROMEDRIVER:-/usr/bin/chromedriver}"; do
    [ -x "$tool" ] || { echo "portal-e2e: $tool is missing (apt-get install chromium chromium-driver)"; exit 2; }
done
export SE_OFFLINE=true

work=$(mktemp -d)
log="$work/demo.log"
mkdir -p "$out"
echo "== portal e2e: medledger demo --serve --http 127.0.0.1:$port (data in $work/demo)"
# shellcheck disable=SC2086 # $medledger may be "swift run medledger"
if $medledger demo --help 2>/dev/null | grep -q -- '--serve'; then
    $medledger demo --serve --http "127.0.0.1:$port" --data-dir "$work/demo" >"$log" 2>&1 &
    node_pid=$!
else
    # A binary without `demo --serve`: the story, then `node start` on its data, and the
    # lines `demo --serve` prints written here.
    echo "   (this medledger has no demo --serve: running demo, then node start)"
    $medledger demo --data-dir "$work/demo" >"$work/story.log" 2>&1 || { tail -n 40 "$work/story.log"; exit 1; }
    $medledger node start --data-dir "$work/demo" --http "127.0.0.1:$port" >"$work/node.log" 2>&1 &
    node_pid=$!
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/v1/status" >/dev/null 2>&1 && break; sleep 0.2; done
    {
        echo "Portal: http://127.0.0.1:$port/"
        for file in "$work/demo/demo-keys"/*.json; do echo "key $(basename "$file" .json) $file"; done
    } >"$log"
fi
stop() {
    stop_process "$node_pid"
    cp "$log" "$out/demo.log" 2>/dev/null || true
    rm -rf "$work"
}
trap stop EXIT

wait_for_line portal-e2e "$log" "$node_pid" '^Portal: http' 300
url=$(sed -n 's/^Portal: \(http[^ ]*\).*/\1/p' "$log" | head -n 1)
# The key lines follow the URL line; give the demo a moment to print them all.
for _ in $(seq 1 20); do grep -q '^key patient ' "$log" && break; sleep 0.25; done
echo "== portal at $url"
grep '^key ' "$log" | sed 's/^/   /'

"$python" Tests/Portal/test_portal.py --url "$url" --demo-log "$log" --medledger "$medledger" --out "$out"
