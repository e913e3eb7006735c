#!/bin/sh
# `healthybay serve` as a process: HTTPS with a certificate, a request, and a graceful stop on
# SIGTERM (exit 0, requests finished, "stopped" in the log).
. "$(dirname "$0")/lib.sh"

"$HB" db migrate --db "$DB" 2>/dev/null || fail "db migrate"
"$HB" org add --db "$DB" --code gd-hc --name "Health Commission" --kind health_authority \
    --jurisdiction GD >/dev/null || fail "org add"
token=$("$HB" token create --db "$DB" --org gd-hc --role epidemiologist 2>/dev/null)

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
    -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null || fail "openssl"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

expect_exit 2 "$HB" serve --db "$DB" --tls-cert "$WORK/cert.pem"
"$HB" serve --db "$DB" --listen "127.0.0.1:$port" --threads 2 \
    --tls-cert "$WORK/cert.pem" --tls-key "$WORK/key.pem" 2>"$WORK/serve.log" &
pid=$!
CLEANUP='kill "$pid" 2>/dev/null || true'

i=0
until curl -s --cacert "$WORK/cert.pem" "https://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -lt 100 ] || fail "server did not start: $(cat "$WORK/serve.log")"
    sleep 0.1
done
grep -q "listening on 127.0.0.1:$port .*HTTPS" "$WORK/serve.log" || fail "log: $(cat "$WORK/serve.log")"
code=$(curl -s -o "$WORK/regions.json" -w '%{http_code}' --cacert "$WORK/cert.pem" \
    -H "Authorization: Bearer $token" "https://127.0.0.1:$port/api/v1/regions?jurisdiction=GD")
check_eq "$code" 200 "HTTPS GET /api/v1/regions"
grep -q '"440300"' "$WORK/regions.json" || fail "regions body"
# Plain HTTP to the HTTPS port is not served.
curl -s -m 3 "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && fail "plain HTTP answered"

kill -TERM "$pid"
wait "$pid" || fail "serve exited $? after SIGTERM"
grep -q "SIGTERM received" "$WORK/serve.log" || fail "no SIGTERM line"
grep -q "stopped$" "$WORK/serve.log" || fail "not stopped cleanly: $(cat "$WORK/serve.log")"
grep -q "$(echo "$token" | cut -c21-)" "$WORK/serve.log" && fail "the log contains a token secret"
exit 0
