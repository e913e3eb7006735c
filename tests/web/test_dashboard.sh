#!/bin/sh
# The dashboard in a real browser (ctest: dashboard/browser): make the demo's data with
# `healthybay demo`, then run web/test/dashboard.test.mjs, which starts `healthybay serve` on a
# free port and drives Debian's chromium headless with playwright-core through the issue's
# scenario. Screenshots and the downloaded bulletin are kept in ARTIFACTS.
#
#   sh tests/web/test_dashboard.sh HEALTHYBAY_BINARY ARTIFACTS_DIR
#
# Nothing is skipped: a missing node, chromium or web/node_modules fails with what to install.
set -eu
HB=$1
ARTIFACTS=$2
SRC=$(cd "$(dirname "$0")/../.." && pwd)
CHROMIUM=${HB_CHROMIUM:-/usr/bin/chromium}

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

command -v node >/dev/null 2>&1 || fail "node is not installed: run scripts/install-deps.sh"
[ -x "$CHROMIUM" ] || fail "no chromium at $CHROMIUM: run scripts/install-deps.sh (Debian package chromium)"
[ -f "$SRC/web/node_modules/playwright-core/package.json" ] ||
    fail "web/node_modules has no playwright-core: run scripts/install-deps.sh (npm ci in web/)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hbweb.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS"
# Two weeks of daily runs at the start of COVID-19 in 2020: open alerts in Hong Kong and in
# Guangdong's cities, Rt, forecasts, notifications in every inbox, bulletins.
"$HB" demo --dir "$WORK/demo" --from 2020-02-01 --to 2020-02-15 >"$WORK/demo.log" 2>&1 ||
    fail "healthybay demo: $(tail -n 20 "$WORK/demo.log")"
HB_BIN=$HB HB_DEMO_DIR="$WORK/demo" HB_ARTIFACTS=$ARTIFACTS HB_CHROMIUM=$CHROMIUM \
    node --test --test-concurrency=1 "$SRC/web/test/"
