# Helpers the end-to-end scripts share (sourced, not run): choosing a Python, waiting for a
# server's "ready" line, stopping what they started.

# The first of the given Pythons that exists (an explicit one, e.g. "$FHIR_PYTHON", first).
pick_python() {
    local candidate
    for candidate in "$@"; do
        if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1; then
            echo "$candidate"
            return 0
        fi
    done
    echo python3
}

# Waits until LOG has a line matching PATTERN (grep -E) while PID runs; prints the log's
# tail and fails when PID exits first or SECONDS pass.
#   wait_for_line NAME LOG PID PATTERN SECONDS
wait_for_line() {
    local name=$1 log=$2 pid=$3 pattern=$4 seconds=$5 waited
    for ((waited = 0; waited < seconds * 5; waited++)); do
        grep -Eq "$pattern" "$log" 2>/dev/null && return 0
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "$name: the process exited before printing /$pattern/:"
            tail -n 40 "$log"
            return 1
        fi
        sleep 0.2
    done
    echo "$name: no line /$pattern/ after $seconds s:"
    tail -n 40 "$log"
    return 1
}

# Stops PID: TERM, up to 5 s to exit cleanly, then KILL.
stop_process() {
    local pid=$1
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
}
