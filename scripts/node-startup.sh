#!/usr/bin/env bash
# How long a node takes to start on an existing data directory, and the memory it peaks at.
#
#   scripts/node-startup.sh BIN DATA_DIR PORT [RUNS]
#
# Starts `BIN node start --data-dir DATA_DIR` RUNS times (default 1), each time polls
# GET http://127.0.0.1:PORT/v1/status every 50 ms until it answers (at most 120 s), prints the
# seconds from the start and the process's peak RSS (VmHWM), and stops it with SIGINT. The
# directory is left as the node leaves it. Used for docs/performance.md, "A restart of a large
# state".
set -euo pipefail
if [[ $# -lt 3 || $# -gt 4 ]]; then
    echo "usage: $0 BIN DATA_DIR PORT [RUNS]" >&2
    exit 2
fi
bin=$1 dir=$2 port=$3 runs=${4:-1}
[[ -x $bin ]] || { echo "$bin is not an executable" >&2; exit 2; }
[[ -d $dir ]] || { echo "$dir is not a directory" >&2; exit 2; }
[[ $port =~ ^[0-9]{1,5}$ && $port -ge 1 && $port -le 65535 ]] || { echo "PORT must be 1-65535, got $port" >&2; exit 2; }
[[ $runs =~ ^[0-9]{1,3}$ && $runs -ge 1 ]] || { echo "RUNS must be 1-999, got $runs" >&2; exit 2; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for ((run = 1; run <= runs; run++)); do
    start=$(date +%s.%N)
    "$bin" node start --data-dir "$dir" > "$log" 2>&1 &
    pid=$!
    answered=no
    for ((i = 0; i < 2400; i++)); do
        if curl -s -m 1 -o /dev/null "http://127.0.0.1:$port/v1/status"; then answered=yes; break; fi
        kill -0 "$pid" 2> /dev/null || break
        sleep 0.05
    done
    end=$(date +%s.%N)
    peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2> /dev/null || echo 0)
    kill -INT "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
    if [[ $answered != yes ]]; then
        echo "run $run: the node did not answer; its log:" >&2
        tail -20 "$log" >&2
        exit 1
    fi
    printf 'run %d: %s answered after %.1f s, peak RSS %d MB\n' "$run" "$(basename "$bin")" \
        "$(echo "$end - $start" | bc)" "$((peak_kb / 1024))"
done
