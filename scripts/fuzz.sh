#!/usr/bin/env bash
# libFuzzer targets for the decoders that read outside bytes (see docs/fuzzing.md).
#
#   scripts/fuzz.sh list                  the targets
#   scripts/fuzz.sh build [TARGET...]     builds targets (all by default) with -sanitize=fuzzer,address
#   scripts/fuzz.sh seeds                 regenerates the checked-in seed corpora under Fuzz/corpus/
#   scripts/fuzz.sh TARGET SECONDS [ARGS] builds TARGET and fuzzes it for SECONDS; extra ARGS go
#                                         to libFuzzer (for example -jobs=2 -workers=2)
#
# Builds go to .build-fuzz (never the normal .build). New inputs found while fuzzing go to
# .build-fuzz/corpus/TARGET, crashes to .build-fuzz/artifacts/TARGET/; the checked-in seeds
# are only read. A crash reproduces with: .build-fuzz/debug/TARGET CRASH-FILE
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=(
    FuzzTransaction FuzzPayload FuzzBlockHeader FuzzBlockBody FuzzCommitCertificate
    FuzzPeerFrame FuzzPeerMessage FuzzHandshake
    FuzzGenesis FuzzKeyFile FuzzAPIBody FuzzRequestAuth
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
    "" | -h | --help)
        sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
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
        # access and allocations over -rss_limit_mb / -malloc_limit_mb are what we look for.
        ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} \
        "$SCRATCH/debug/$target" "$SCRATCH/corpus/$target" "Fuzz/corpus/$target" \
            -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
            -artifact_prefix="$SCRATCH/artifacts/$target/" "$@"
        ;;
esac
