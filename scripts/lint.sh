#!/bin/sh
# House rules a compiler does not check (STYLE.md 5, 22): banned C functions outside
# src/util/alloc.c, and the database headers each included by one file only.
set -eu
cd "$(dirname "$0")/.."
status=0

banned='\b(malloc|calloc|realloc|free|strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atof|strtok)\s*\('
hits=$(grep -rnE "$banned" src --include='*.c' --include='*.h' | grep -v '^src/util/alloc.c:' |
    grep -vE '^\S+:\s*\*|//|/\*' || true)
if [ -n "$hits" ]; then
    echo "lint: banned function (use util/alloc.h, util/buf.h, util/parse.h):" >&2
    echo "$hits" >&2
    status=1
fi

only_in() {
    header=$1
    allowed=$2
    hits=$(grep -rln "#include <$header>" src include | grep -v "^$allowed\$" || true)
    if [ -n "$hits" ]; then
        echo "lint: <$header> may only be included by $allowed, found in: $hits" >&2
        status=1
    fi
}
only_in sqlite3.h src/store/store_sqlite.c
only_in libpq-fe.h src/store/store_pg.c

# Public headers compile on their own (libgit2 headertest).
for h in include/healthybay/*.h; do
    if ! echo "#include \"$(basename "$h")\"" | cc -std=c11 -Wall -Wextra -Werror -Iinclude/healthybay -Iinclude -fsyntax-only -x c -; then
        echo "lint: $h does not compile on its own" >&2
        status=1
    fi
done
exit $status
