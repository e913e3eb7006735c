#!/bin/sh
# One rare-blood search over N synthetic donor profiles (default 10 million): the healthybay
# engine beside the same query in SQLite and in PostgreSQL over the same rows, in the same run,
# with the hits compared and the ratios printed (bench/blood/bench_search.c says how).
#
#   bench/blood/run.sh [PROFILES]      (needs a Release build in build/release)
#
# Uses the PostgreSQL at $HB_TEST_PG_URL, or starts a throwaway cluster. Everything it creates
# (a SQLite file, a PostgreSQL schema) is removed at the end. 10 million rows take about 1.5 GB
# of disk for a few minutes.
set -eu
cd "$(dirname "$0")/../.."
n=${1:-10000000}
bin=build/release/bench/bench_blood_search
[ -x "$bin" ] || {
    echo "build first: cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release && cmake --build build/release" >&2
    exit 1
}
pgdir=
if [ -z "${HB_TEST_PG_URL:-}" ]; then
    pgdir=$(mktemp -d "${TMPDIR:-/tmp}/hb-pg.XXXXXX")
    HB_TEST_PG_URL=$(scripts/pg-test-cluster.sh start "$pgdir")
fi
schema="bench_blood_$$"
cleanup() {
    psql -q "$HB_TEST_PG_URL" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
    [ -z "$pgdir" ] || scripts/pg-test-cluster.sh stop "$pgdir"
}
trap cleanup EXIT INT TERM
psql -q -v ON_ERROR_STOP=1 "$HB_TEST_PG_URL" -c "CREATE SCHEMA $schema" >/dev/null
"$bin" --profiles "$n" --pg "$HB_TEST_PG_URL?options=-csearch_path%3D$schema" --dir "${TMPDIR:-/tmp}"
