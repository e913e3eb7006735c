#!/bin/sh
# Install every Debian package that healthybay's build, tests, benchmarks and demo need, and the
# dashboard's npm packages (npm ci in web/).
#
# Usage: scripts/install-deps.sh [--reference]
#   (no flag)     build + test + demo packages (what README and CI need)
#   --reference   also R with the `surveillance` and `EpiEstim` packages, used to regenerate the
#                 parity fixtures (tests/parity/) and to run the side-by-side benchmarks (bench/)
#
# Idempotent: apt-get only installs what is missing. Run as root on Debian 12 (bookworm).
set -eu

want_reference=0
for arg in "$@"; do
    case "$arg" in
    --reference) want_reference=1 ;;
    -h | --help)
        sed -n '2,10p' "$0"
        exit 0
        ;;
    *)
        echo "install-deps: unknown option '$arg' (try --help)" >&2
        exit 2
        ;;
    esac
done

if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        exec sudo "$0" "$@"
    fi
    echo "install-deps: run as root (apt-get needs it)" >&2
    exit 1
fi

packages="
    build-essential cmake pkg-config git ca-certificates python3 curl
    clang clang-format libclang-rt-14-dev
    libsqlite3-dev sqlite3
    libpq-dev postgresql postgresql-client
    libmicrohttpd-dev libjansson-dev libssl-dev openssl libcurl4-openssl-dev
    r-mathlib libgsl-dev
    libcbor-dev zlib1g-dev libqrencode-dev zbar-tools
    libcairo2-dev libpango1.0-dev fonts-noto-cjk poppler-utils
    chromium
    wrk nginx-light hyperfine valgrind
"
# Node.js may come from elsewhere (e.g. NodeSource, whose nodejs conflicts with Debian's npm):
# only ask Debian for it when no npm is on the PATH.
if ! command -v npm >/dev/null 2>&1; then
    packages="$packages nodejs npm"
fi
if [ "$want_reference" -eq 1 ]; then
    packages="$packages r-base-core r-cran-surveillance r-cran-epiestim"
fi

missing=""
for p in $packages; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "install-deps: all packages present"
else
    echo "install-deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086 # word splitting of the package list is intended
    apt-get install -y -qq --no-install-recommends $missing
fi

# The dashboard's npm packages (web/package-lock.json: ECharts, esbuild, playwright-core), which
# the C build needs to build the dashboard into the binary (docs/dashboard.md). `npm ci` installs
# exactly the locked versions; it is skipped when web/node_modules already holds them.
web="$(dirname "$0")/../web"
stamp="$web/node_modules/.installed-lock.sha256"
want=$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "install-deps: web/node_modules up to date"
else
    echo "install-deps: npm ci in web/"
    (cd "$web" && npm ci --no-audit --no-fund)
    echo "$want" >"$stamp"
fi
