#!/usr/bin/env bash
# libFuzzer targets for the decoders that read outside bytes (see docs/fuzzing.md).
#
#   scripts/fuzz.sh list                  the targets
#   scripts/fuzz.sh build [TARGET...]     builds targets (all by default) with -sanitize=fuzzer,address
#   scripts/fuzz.sh seeds                 regenerates the checked-in seed corpora under Fuzz/corpus/
#   scripts/fuzz.sh TARGET SECONDS [ARGS] builds TARGET and fuzzes it for SECONDS; extra ARGS go
#                                         to libFuzzer (for example -jobs=2 -workers=2)
#   scripts/fuzz.sh all SECONDS [PARALLEL] fuzzes every (already built) target for SECONDS,
#                                         PARALLEL at a time (default 1); prints each target's
#                                         executions and the total; fails if any target failed.
#                                         FUZZ_ARGS (for example -use_value_profile=1) go to each run
#
# Builds go to .build-fuzz (never the normal .build). New inputs found while fuzzing go to
# .build-fuzz/corpus/TARGET, crashes to .build-fuzz/artifacts/TARGET/; the checked-in seeds
# are only read. A crash reproduces with: .build-fuzz/debug/TARGET CRASH-FILE
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=(
    FuzzTransaction FuzzPayload FuzzBlockHeader FuzzBlockBody FuzzCommitCertificate
    FuzzPeerFrame FuzzPeerMessage FuzzHandshake
    FuzzGenesis FuzzKeyFile FuzzAPIBody FuzzRequestAuth FuzzFHIRInput FuzzFHIRBody
)
SCRATCH=.build-fuzz

build() {
    for product in "$@"; do
        echo "== building $product" >&2
        MEDLEDGER_FUZZ=1 swift build --scratch-path "$SCRATCH" -c debug \
            -Xswiftc -sanitize=fuzzer,address --product "$product" >&2
    done
}

is_target() {
    local name
    for name in "${TARGETS[@]}"; do [ "$name" = "$1" ] && return 0; done
    return 1
}

case "${1:-}" in
    list)
        printf '%s\n' "${TARGETS[@]}"
        ;;
    build)
        shift
        if [ "$#" -eq 0 ]; then set -- "${TARGETS[@]}"; fi
        build "$@"
        ;;
    seeds)
        build FuzzSeeds
        MEDLEDGER_ROOT="$PWD" "$SCRATCH/debug/FuzzSeeds"
        ;;
    all)
        seconds=${2:?usage: scripts/fuzz.sh all SECONDS [PARALLEL]}
        parallel=${3:-1}
        mkdir -p "$SCRATCH/logs"
        # Each run's exit code goes into its log's last line, so one failure cannot hide.
        printf '%s\n' "${TARGETS[@]}" | xargs -P "$parallel" -I{} bash -c \
            'FUZZ_SKIP_BUILD=1 "$0" {} "$1" ${FUZZ_ARGS:-} > "$2/{}.log" 2>&1; echo "exit code $?" >> "$2/{}.log"' \
            "$0" "$seconds" "$SCRATCH/logs" || true
        total=0
        failed=()
        for target in "${TARGETS[@]}"; do
            log=$SCRATCH/logs/$target.log
            runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
            code=$(sed -n 's/^exit code //p' "$log" | tail -n 1)
            printf '%-24s %12s executions  exit code %s\n' "$target" "${runs:-?}" "${code:-?}"
            total=$((total + ${runs:-0}))
            if [ "${code:-1}" != 0 ]; then failed+=("$target"); fi
        done
        echo "total: $total executions in ${#TARGETS[@]} targets, ${#failed[@]} failed"
        if [ "${#failed[@]}" -gt 0 ]; then
            for target in "${failed[@]}"; do
                echo "== $target failed; the end of $SCRATCH/logs/$target.log:"
                grep -v '^    #' "$SCRATCH/logs/$target.log" | tail -n 40
                for artifact in "$SCRATCH/artifacts/$target"/*; do
                    [ -f "$artifact" ] || continue
                    echo "input $artifact (base64): $(base64 -w0 "$artifact" | head -c 4000)"
                done
            done
            exit 1
        fi
        ;;
    "" | -h | --help)
        sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
        exit 2
        ;;
    *)
        target=$1
        seconds=${2:?usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer args]}
        shift 2
        is_target "$target" || { echo "unknown target $target (see scripts/fuzz.sh list)" >&2; exit 2; }
        if [ "${FUZZ_SKIP_BUILD:-0}" != 1 ]; then build "$target"; fi
        mkdir -p "$SCRATCH/corpus/$target" "$SCRATCH/artifacts/$target"
        # Leak checking is off: the Swift runtime's metadata caches and the targets' lazily
        # built fixtures look like leaks to LeakSanitizer. Overflows, traps, out-of-bounds
        # access, memory over 2 GiB and any single allocation over 64 MiB (no input here can
        # justify one: frames stop at 16 MiB) are what we look for.
        # SWIFT_BACKTRACE off: the Swift runtime's own crash handler would race libFuzzer's.
        ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} SWIFT_BACKTRACE=${SWIFT_BACKTRACE:-enable=no} \
        "$SCRATCH/debug/$target" "$SCRATCH/corpus/$target" "Fuzz/corpus/$target" \
            -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=64 -print_final_stats=1 \
            -artifact_prefix="$SCRATCH/artifacts/$target/" "$@"
        ;;
esac
