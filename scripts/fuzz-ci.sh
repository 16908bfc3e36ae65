#!/usr/bin/env bash
# CI step: builds every fuzz target once (sanitizer build in .build-fuzz), then runs each
# for FUZZ_SECONDS (default 20) from its checked-in corpus. Exits non-zero when any target
# crashes, traps, times out or runs out of memory; the input that did it is printed.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-20}

start=$(date +%s)
rm -rf .build-fuzz/artifacts .build-fuzz/logs
if ! nice -n 5 scripts/fuzz.sh build; then
    echo "fuzz: the sanitizer build failed"
    exit 1
fi
echo "fuzz: built all targets in $(( $(date +%s) - start )) s"

failed=()
for target in $(scripts/fuzz.sh list); do
    echo "== fuzz $target for $seconds s"
    log=.build-fuzz/logs/$target.log
    mkdir -p .build-fuzz/logs
    if FUZZ_SKIP_BUILD=1 scripts/fuzz.sh "$target" "$seconds" > "$log" 2>&1; then
        grep -E '^stat::number_of_executed_units|^Done ' "$log" || true
    else
        failed+=("$target")
        echo "fuzz: $target FAILED; the end of its log:"
        tail -n 60 "$log"
        for artifact in .build-fuzz/artifacts/"$target"/*; do
            [ -f "$artifact" ] || continue
            echo "input $artifact (base64): $(base64 -w0 "$artifact" | head -c 4000)"
        done
    fi
done

echo "fuzz: $(scripts/fuzz.sh list | wc -l) targets, ${#failed[@]} failed, $(( $(date +%s) - start )) s in all"
if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz: failing targets: ${failed[*]}"
    exit 1
fi
