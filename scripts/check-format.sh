#!/bin/sh
# Fail when a C file differs from .clang-format; with --fix, reformat in place.
set -eu
cd "$(dirname "$0")/.."
files=$(find src include tests fuzz bench tools -name '*.[ch]' 2>/dev/null | sort)
[ -n "$files" ] || exit 0
if [ "${1:-}" = "--fix" ]; then
    # shellcheck disable=SC2086
    clang-format -i $files
    exit 0
fi
# shellcheck disable=SC2086
if ! clang-format --dry-run --Werror $files; then
    echo "check-format: run scripts/check-format.sh --fix" >&2
    exit 1
fi
