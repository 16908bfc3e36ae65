#!/usr/bin/env bash
# CI step: builds every fuzz target once (sanitizer build in .build-fuzz), then runs each
# for FUZZ_SECONDS (default 20), FUZZ_PARALLEL at a time (default 2), from its checked-in
# corpus. Exits non-zero when any target crashes, traps, times out or runs out of memory;
# the input that did it is printed in base64.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-20}
parallel=${FUZZ_PARALLEL:-2}

start=$(date +%s)
rm -rf .build-fuzz/artifacts .build-fuzz/logs
mkdir -p .build-fuzz
nice -n 5 scripts/fuzz.sh build > .build-fuzz/build.log 2>&1 || {
    grep -v 'Cannot export local symbol' .build-fuzz/build.log | tail -n 60
    echo "fuzz: the sanitizer build failed"
    exit 1
}
echo "fuzz: built $(scripts/fuzz.sh list | wc -l) targets in $(( $(date +%s) - start )) s"
scripts/fuzz.sh all "$seconds" "$parallel"
echo "fuzz: done in $(( $(date +%s) - start )) s"
