#!/bin/sh
# HTTP server benchmark: healthybay against nginx, side by side, in one run (docs/benchmarks.md).
#
#   bench/http.sh [BUILD_DIR] [SECONDS]        (defaults: build/release, 10)
#
# 1. GET /api/v1/regions with a bearer token: the token checked against the database, the
#    schema version read, the 38 regions answered from the per-process reference cache (9 KB);
# 2. GET /api/v1/orgs/hk-dh with a bearer token: token check, one row read, JSON built (no cache);
# 3. each body served by nginx as a static file of the same size: the machine's ceiling;
# 4. POST /api/v1/orgs (a new organisation each time: validation, policy, insert, hash-chained
#    audit entry, commit with fsync) on SQLite;
# 5. with HB_BENCH_PG_URL set (a PostgreSQL database URL), 1, 2 and 4 again on PostgreSQL.
# Both servers get the same number of workers (2) and wrk the same connections; wrk itself runs
# on the same cores, as it does for both. Prints requests/s, latency and the GET ratio.
set -eu
cd "$(dirname "$0")/.."
build=${1:-build/release}
seconds=${2:-10}
threads=2
conns=32
hb="$build/healthybay"
[ -x "$hb" ] || { echo "bench: build first: cmake -S . -B $build -DCMAKE_BUILD_TYPE=Release && cmake --build $build" >&2; exit 1; }
command -v wrk >/dev/null && command -v nginx >/dev/null || { echo "bench: needs wrk and nginx (scripts/install-deps.sh)" >&2; exit 1; }

out=$(mktemp -d "${TMPDIR:-/tmp}/hb-bench.XXXXXX")
chmod 755 "$out" # nginx's workers run as another user and must read the static file
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null || true; done; rm -rf "$out"; }
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_up() { i=0; until curl -s -o /dev/null "$1"; do i=$((i + 1)); [ $i -lt 100 ] || { echo "bench: $1 did not come up" >&2; exit 1; }; sleep 0.1; done; }

# A database with the three authorities and two tokens; a server on it.
setup() {
    db=$1
    "$hb" db migrate --db "$db" 2>/dev/null
    "$hb" org add --db "$db" --code hk-dh --name "Department of Health" --kind health_authority --jurisdiction HK >/dev/null
    reader=$("$hb" token create --db "$db" --org hk-dh --role epidemiologist 2>/dev/null)
    admin=$("$hb" token create --db "$db" --org hk-dh --role admin 2>/dev/null)
    port=$(free_port)
    "$hb" serve --db "$db" --listen "127.0.0.1:$port" --threads $threads --quiet &
    pids="$pids $!"
    url="http://127.0.0.1:$port"
    wait_up "$url/healthz"
}

# run KEY LABEL WRK-ARGS…: wrk, then one summary line: label, requests/s, p50 and p99 latency;
# the requests/s also go to $out/KEY.
run() {
    key=$1
    label=$2
    shift 2
    wrk -t$threads -c$conns -d"${seconds}s" --latency "$@" >"$out/wrk.txt" 2>&1
    rps=$(awk '/^Requests\/sec/ {print $2}' "$out/wrk.txt")
    p50=$(awk '$1 == "50%" {print $2}' "$out/wrk.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$out/wrk.txt")
    non2xx=$(awk '/Non-2xx/ {print $4}' "$out/wrk.txt")
    printf '%-44s %10s req/s   p50 %-9s p99 %-9s %s\n' "$label" "$rps" "$p50" "$p99" \
        "${non2xx:+non-2xx: $non2xx}"
    echo "$rps" >"$out/rps.$key"
}

cat >"$out/post.lua" <<'LUA'
-- A new organisation per request: codes unique across wrk's threads.
local counter = 0
local next_id = 0
function setup(thread) next_id = next_id + 1; thread:set("id", next_id) end
function init(args) token = args[1] end
function request()
  counter = counter + 1
  local body = string.format('{"code":"hk-b%d-%d","name":"Bench clinic %d","kind":"clinic","jurisdiction":"HK"}', id, counter, counter)
  return wrk.format("POST", "/api/v1/orgs", { ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token }, body)
end
LUA

echo "machine: $(nproc) cores, $(uname -sr); wrk -t$threads -c$conns -d${seconds}s; servers with $threads workers"
setup "$out/bench.db"
curl -s -H "Authorization: Bearer $reader" "$url/api/v1/regions" >"$out/regions.json"
curl -s -H "Authorization: Bearer $reader" "$url/api/v1/orgs/hk-dh" >"$out/org.json"
size=$(wc -c <"$out/regions.json")
org_size=$(wc -c <"$out/org.json")

# nginx serving the same bytes.
mkdir -p "$out/www" "$out/nginx"
cp "$out/regions.json" "$out/org.json" "$out/www/"
nport=$(free_port)
cat >"$out/nginx/nginx.conf" <<NGINX
worker_processes $threads;
pid $out/nginx/nginx.pid;
error_log $out/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    default_type application/json;
    client_body_temp_path $out/nginx;
    proxy_temp_path $out/nginx;
    fastcgi_temp_path $out/nginx;
    uwsgi_temp_path $out/nginx;
    scgi_temp_path $out/nginx;
    server { listen 127.0.0.1:$nport; root $out/www; }
}
NGINX
nginx -c "$out/nginx/nginx.conf" -g 'daemon off;' &
pids="$pids $!"
wait_up "http://127.0.0.1:$nport/regions.json"

run nginx "nginx GET static file ($size B)" "http://127.0.0.1:$nport/regions.json"
run get "healthybay GET /api/v1/regions (SQLite)" -H "Authorization: Bearer $reader" \
    "$url/api/v1/regions"
run nginx_org "nginx GET static file ($org_size B)" "http://127.0.0.1:$nport/org.json"
run get_org "healthybay GET /api/v1/orgs/hk-dh (SQLite)" -H "Authorization: Bearer $reader" \
    "$url/api/v1/orgs/hk-dh"
run post "healthybay POST /api/v1/orgs (SQLite)" -s "$out/post.lua" "$url" -- "$admin"
if [ -n "${HB_BENCH_PG_URL:-}" ]; then
    setup "$HB_BENCH_PG_URL"
    run pg_get "healthybay GET /api/v1/regions (PostgreSQL)" -H "Authorization: Bearer $reader" \
        "$url/api/v1/regions"
    run pg_get_org "healthybay GET /api/v1/orgs/hk-dh (PostgreSQL)" \
        -H "Authorization: Bearer $reader" "$url/api/v1/orgs/hk-dh"
    run pg_post "healthybay POST /api/v1/orgs (PostgreSQL)" -s "$out/post.lua" "$url" -- "$admin"
fi
ratio() { python3 -c "print(f'{$(cat "$out/rps.$1") / $(cat "$out/rps.$2"):.2f}')"; }
echo "ratio to nginx: GET /api/v1/regions $(ratio get nginx), GET /api/v1/orgs/hk-dh $(ratio get_org nginx_org)"
