# Shared by the CLI tests: sourced with $1 = the healthybay binary, $2 = sqlite | postgresql.
# Gives: $HB (the binary), $DB (a fresh database URL), fail "message", check_eq A B "what".
# A script that starts a background process puts its clean-up in $CLEANUP (run at exit).
set -eu
HB=$1
BACKEND=$2
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hbcli.XXXXXX")
CLEANUP=:
trap 'eval "$CLEANUP"; rm -rf "$WORK"' EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

check_eq() {
    [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"
}

# Run a command that must fail with exit code $1; its stderr goes to $WORK/err.
expect_exit() {
    want=$1
    shift
    set +e
    "$@" >"$WORK/out" 2>"$WORK/err"
    got=$?
    set -e
    [ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want: $(cat "$WORK/err")"
}

case "$BACKEND" in
sqlite)
    DB="$WORK/test.db"
    ;;
postgresql)
    [ -n "${HB_TEST_PG_URL:-}" ] || fail "HB_TEST_PG_URL is not set (scripts/pg-test-cluster.sh); refusing to skip"
    schema="cli_$$_$(date +%s%N)"
    psql -q -v ON_ERROR_STOP=1 "$HB_TEST_PG_URL" -c "CREATE SCHEMA $schema" >/dev/null
    DB="$HB_TEST_PG_URL?options=-csearch_path%3D$schema"
    trap 'eval "$CLEANUP"; psql -q "$HB_TEST_PG_URL" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1; rm -rf "$WORK"' EXIT
    ;;
*)
    fail "unknown backend $BACKEND"
    ;;
esac
