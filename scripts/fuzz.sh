#!/bin/sh
# Build the libFuzzer targets with clang (ASan + UBSan) and run each for a bounded time.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]     (default 20)
#
# Crashes are written to build/fuzz/crashes/<target>/ and fail the run.
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-20}
CC=clang cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=Debug -DHB_FUZZ=ON -DHB_TESTS=OFF >/dev/null
cmake --build build/fuzz -j"$(nproc)" >/dev/null
status=0
for bin in build/fuzz/fuzz/fuzz_*; do
    name=$(basename "$bin" | sed 's/^fuzz_//')
    mkdir -p "build/fuzz/crashes/$name" "build/fuzz/corpus/$name"
    echo "fuzz: $name for ${seconds}s"
    if ! "$bin" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="build/fuzz/crashes/$name/" -print_final_stats=0 \
        "build/fuzz/corpus/$name" "fuzz/corpus/$name" >"build/fuzz/$name.log" 2>&1; then
        echo "fuzz: $name FAILED (see build/fuzz/$name.log and build/fuzz/crashes/$name/)" >&2
        tail -n 30 "build/fuzz/$name.log" >&2
        status=1
    fi
done
exit $status
