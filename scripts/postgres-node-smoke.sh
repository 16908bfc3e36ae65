#!/usr/bin/env bash
# A node on the PostgreSQL store, end to end (issue 11, item 4): `node init`, `node start
# --database URL` in a schema of its own, two patients register, the node is stopped, and
# `verify --database URL` re-checks the chain it wrote. Then a row is damaged behind the
# node's back and `verify` must fail naming it. The schema is dropped at the end.
#
#   scripts/postgres-node-smoke.sh MEDLEDGER_BINARY POSTGRES_URL [HTTP_PORT]
#
# POSTGRES_URL without a query (e.g. MEDLEDGER_TEST_POSTGRES_URL); psql must be installed.
set -euo pipefail
medledger=$1
base_url=$2
port=${3:-9390}
schema=medledger_smoke_$$
url="$base_url?schema=$schema"
work=$(mktemp -d)
node_pid=

cleanup() {
    if [ -n "$node_pid" ]; then kill "$node_pid" 2>/dev/null || true; fi
    psql "$base_url" -qtA -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

"$medledger" node init --data-dir "$work/node" --org "Smoke Hospital" >/dev/null
"$medledger" node start --data-dir "$work/node" --http "127.0.0.1:$port" --database "$url" >"$work/node.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/v1/status" >/dev/null && break
    sleep 0.2
done
for name in alice bob; do
    "$medledger" keys new --out "$work/$name.json" >/dev/null
    "$medledger" patient register --node "http://127.0.0.1:$port" --key "$work/$name.json"
done
sleep 1.5 # an empty block or two on top
kill -TERM "$node_pid"
wait "$node_pid"
node_pid=
echo "node on PostgreSQL stopped; blocks in $schema: $(psql "$base_url" -qtA -c "SELECT COUNT(*) FROM $schema.blocks")"

"$medledger" verify --data-dir "$work/node" --database "$url"
if ! [ -f "$work/node/ledger.sqlite" ]; then echo "no ledger.sqlite was written: the ledger is in PostgreSQL"; fi

psql "$base_url" -qtA -c "UPDATE $schema.transactions SET receipt = '\\x00' WHERE position = 0" >/dev/null
if "$medledger" verify --data-dir "$work/node" --database "$url" >"$work/verify.log"; then
    echo "verify passed a damaged receipt"
    exit 1
fi
grep FAILED "$work/verify.log"
echo "PostgreSQL node smoke test passed"
