/*
 * server/server.h — the HTTP API server: `healthybay serve` and the integration tests run it.
 *
 * libmicrohttpd with a pool of worker threads, each running an epoll loop over its share of the
 * connections; HTTPS through libmicrohttpd's GnuTLS support. All shared state lives in the
 * database (accounts, audit log, idempotency records): several servers on one PostgreSQL
 * database behave as one, behind any load balancer.
 *
 * Shutdown (hb_server_stop) is graceful: stop accepting connections, answer requests that
 * arrive on open connections with 503 + Retry-After (so clients retry elsewhere), let requests in
 * flight finish (up to HB_HTTP_DRAIN_SECONDS), then close everything. A write is acknowledged
 * only after its transaction committed, so nothing acknowledged is lost.
 */
#ifndef HB_SERVER_SERVER_H
#define HB_SERVER_SERVER_H

#include <stdint.h>
#include <stdio.h>

typedef struct hb_server hb_server;

typedef struct hb_server_config {
    const char *db_url;        /* a migrated database */
    const char *listen;        /* "127.0.0.1:8080", "[::1]:8443"; port 0 = any free port */
    unsigned threads;          /* worker threads; 0 = one per CPU */
    const char *tls_cert_file; /* PEM certificate chain; with tls_key_file, or both NULL */
    const char *tls_key_file;  /* PEM private key */
    FILE *log;                 /* server log (errors, refusals, start and stop); NULL = none */
    /* Signing keys (serve --keys): DIR/J/dsc.key signs jurisdiction J's vaccination
     * certificates. NULL = hb_signing_key_dir(NULL): $HEALTHYBAY_KEYS, else ./keys. */
    const char *key_dir;
    /* Time limits, 0 = the defaults of util/limits.h. Tests shorten them; they may not exceed
     * the defaults, and the header deadline must stay shorter than the idle timeout. */
    unsigned idle_timeout_seconds; /* HB_HTTP_IDLE_TIMEOUT_SECONDS */
    unsigned header_seconds_max;   /* HB_HTTP_HEADER_SECONDS_MAX */
    unsigned request_seconds_max;  /* HB_HTTP_REQUEST_SECONDS_MAX */
} hb_server_config;

/* Check the database, bind, and start serving. The config is copied. */
int hb_server_start(hb_server **out, const hb_server_config *config);
/* The port the server listens on (useful with port 0). */
uint16_t hb_server_port(const hb_server *server);
/* Stop gracefully (see above) and free; NULL is a no-op. */
void hb_server_stop(hb_server *server);

#endif
