/*
 * tests/server/support.h — running the API server in-process on a random loopback port and
 * talking to it over real HTTP with libcurl, for the server's integration tests.
 *
 *     hb_test_world w;
 *     hb_test_world_start(&w);                 migrated database + server on 127.0.0.1:<free>
 *     const char *admin = hb_test_token(&w, "hk-dh", "admin");
 *     hb_test_response r;
 *     hb_test_call(&w, &r, "GET", "/api/v1/regions", admin, NULL, NULL);
 *     CHECK_INT_EQ(r.status, 200);
 *     hb_test_response_dispose(&r);
 *     hb_test_world_stop(&w);
 *
 * The world registers these organisations: hk-dh (HK health authority), hk-qmh and hk-kwh (HK
 * hospitals), gd-hc (GD health authority), gd-szh (GD hospital), mo-ssm (MO health authority).
 */
#ifndef HB_TESTS_SERVER_SUPPORT_H
#define HB_TESTS_SERVER_SUPPORT_H

#include <jansson.h>
#include <stddef.h>

#include "server/server.h"
#include "store/store.h"

typedef struct hb_test_world {
    char db_url[2048];
    hb_server *server;
    hb_store *db;  /* the test's own connection, for setup and checks */
    char base[64]; /* "http://127.0.0.1:<port>" */
    void *curl;
    char tokens[64][96]; /* tokens handed out by hb_test_token, kept for the world's life */
    size_t ntokens;
} hb_test_world;

typedef struct hb_test_response {
    long status;
    char *body; /* NUL-terminated */
    size_t len;
    char headers[8192];
    json_t *json; /* the body parsed, when it is JSON; else NULL */
} hb_test_response;

/* Migrate a fresh database of the running backend, register the organisations and start a
 * server (header deadline 2 s, idle timeout 3 s, body time limit 1 s, so slow-client tests are
 * quick; signing keys in the test's scratch directory "keys"). */
void hb_test_world_start(hb_test_world *w);
void hb_test_world_stop(hb_test_world *w);
/* Start a second server on the same database (several processes, one database). */
hb_server *hb_test_server_on(const char *db_url, char base[64]);

/*
 * Surveillance data for the early-warning routes: weekly influenza cases in Hong Kong (810000)
 * and Guangdong (440000), an open alert in each, signing keys for the three jurisdictions (in
 * a scratch directory) and the daily notifications of 2019-01-13, so each inbox holds two.
 */
void hb_test_world_surveillance(hb_test_world *w);

/* The id of a notification addressed to jurisdiction (the lowest), for requests. */
long long hb_test_notification_to(hb_test_world *w, const char *jurisdiction);

/* A new token for org with roles ("admin" or "admin,auditor"); valid for the world's life. */
const char *hb_test_token(hb_test_world *w, const char *org, const char *roles);

/* One request to w's server (or to base when not NULL). token NULL sends no Authorization;
 * body NULL sends none (with POST, Content-Type: application/json is sent whenever body is
 * given). headers: NULL-terminated "Name: value" list, or NULL. */
void hb_test_call(hb_test_world *w, hb_test_response *r, const char *method, const char *path,
                  const char *token, const char *body, const char *const *headers);
void hb_test_call_at(hb_test_world *w, const char *base, hb_test_response *r, const char *method,
                     const char *path, const char *token, const char *body,
                     const char *const *headers);
void hb_test_response_dispose(hb_test_response *r);
/* The value of a response header (case-insensitive name), copied into a static buffer; NULL
 * when absent. */
const char *hb_test_header(const hb_test_response *r, const char *name);

/* Raw TCP: send bytes, then read until the server closes or timeout_ms passes. Returns what was
 * read (static buffer) and sets *closed when the server closed the connection. */
const char *hb_test_raw(const hb_test_world *w, const char *data, size_t len, int pause_ms,
                        int timeout_ms, int *closed);

/* Raw TCP: send head, then one byte of body every interval_ms, up to count bytes, stopping when
 * the server closes. Returns whether the server closed the connection, and puts what it sent
 * back (static buffer) in *got. */
int hb_test_trickle(const hb_test_world *w, const char *head, int count, int interval_ms,
                    const char **got);

/* Count rows of a query with no parameters, on the test's own connection. */
long long hb_test_count(hb_test_world *w, const char *sql);

#endif
