#!/usr/bin/env bash
# The hot-path benchmarks (issue 11, item 6): canonical encode and decode, contract execution,
# the state commit, and the 1 MB report path, each with its time and malloc count, in the
# separate package Benchmarks/ (ordo-one/benchmark), which the main build and CI never compile.
#
#   scripts/benchmarks.sh                      # every benchmark, a table per benchmark
#   scripts/benchmarks.sh --filter '1 MB.*'    # any further options go to the plugin
#
# The first run builds the libraries it measures in release mode (several minutes on two
# cores). On a shared machine, run it as `nice -n 5 scripts/benchmarks.sh`.
# No jemalloc is needed: benchmark 1.38.1 counts allocations with its malloc interposer (the
# MallocInterposer trait in Benchmarks/Package.swift). Compare figures within one run only.
set -euo pipefail
cd "$(dirname "$0")/.."
exec swift package --package-path Benchmarks benchmark --no-progress "$@"
