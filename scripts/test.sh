#!/bin/sh
# Install what is needed, build, and run the whole test suite — README's second command and CI's.
#
#   scripts/test.sh [--quick]
#
# Steps: Debian packages and the dashboard's npm packages → format and lint checks → the whole
# suite under AddressSanitizer + UndefinedBehaviorSanitizer (every test on SQLite and on a
# throwaway PostgreSQL cluster; the dashboard built in and its browser test, dashboard/browser,
# included) → a Release build and its end-to-end tests (labels cli and web) → the fuzz targets
# for a bounded time (HB_FUZZ_SECONDS each, default 8). --quick skips the Release build and the
# fuzzers (for a fast local loop).
set -eu
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1
jobs=$(nproc)

step() { printf '\n== %s\n' "$*"; }

step "dependencies"
scripts/install-deps.sh

step "format and lint"
scripts/check-format.sh
scripts/lint.sh

# Test scratch files on tmpfs when there is one: the suite fsyncs thousands of small SQLite
# transactions, which on a disk costs more than everything else together.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
    export TMPDIR=/dev/shm
fi
pgdir=$(mktemp -d "${TMPDIR:-/tmp}/hb-pg.XXXXXX")
trap 'scripts/pg-test-cluster.sh stop "$pgdir"' EXIT INT TERM
step "PostgreSQL test cluster"
HB_TEST_PG_URL=$(scripts/pg-test-cluster.sh start "$pgdir")
export HB_TEST_PG_URL
echo "$HB_TEST_PG_URL"

# run_suite DIR LABEL-REGEX CMAKE-ARGS…: build DIR and run its tests whose labels match.
run_suite() {
    dir=$1
    labels=$2
    shift 2
    step "build $dir ($*)"
    cmake -S . -B "$dir" "$@" >/dev/null
    cmake --build "$dir" -j"$jobs"
    step "test $dir"
    (cd "$dir" && ctest -j"$jobs" --timeout 600 --output-on-failure -L "$labels")
}

# ASan: leaks are errors too; UBSan: any finding aborts (-fno-sanitize-recover).
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_suite build/asan . -DCMAKE_BUILD_TYPE=Debug -DHB_SANITIZE=ON -DHB_WEB=ON
if [ "$quick" -eq 0 ]; then
    # The optimiser finds warnings (-Werror) the debug build does not, and the commands run end
    # to end as users run them; every test already ran above under the sanitizers.
    run_suite build/release 'cli|web' -DCMAKE_BUILD_TYPE=Release -DHB_WEB=ON
    step "fuzz"
    scripts/fuzz.sh "${HB_FUZZ_SECONDS:-8}"
fi
step "all tests passed"
