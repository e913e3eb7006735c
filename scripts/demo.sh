#!/bin/sh
# Install what is needed, build healthybay (Release) and run `healthybay demo` — README's first
# command. Extra arguments go to `healthybay demo` (see `healthybay demo --help`).
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DHB_TESTS=OFF >/dev/null
cmake --build build/release -j"$(nproc)"
exec build/release/healthybay demo "$@"
