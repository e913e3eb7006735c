#!/bin/sh
# Install what is needed, build healthybay (Release) and run `healthybay demo --serve` — README's
# first command: a working installation on real data in ./healthybay-demo, served on
# http://127.0.0.1:8080 until Ctrl-C. Extra arguments go to `healthybay demo` (see its --help).
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DHB_TESTS=OFF -DHB_WEB=ON >/dev/null
cmake --build build/release -j"$(nproc)"
exec build/release/healthybay demo --serve "$@"
