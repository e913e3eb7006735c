/*
 * core/idempotency.h — Idempotency-Key records: a retried POST gets the first response and
 * writes nothing twice.
 *
 * A record is keyed by (organisation, key) — two organisations may pick the same key — and holds
 * the SHA-256 of the request (method, path, body) and the whole response (status, content type,
 * Location, body). Records live in the database, so a retry that reaches another server process
 * is answered the same; they are kept HB_IDEMPOTENCY_TTL_SECONDS.
 *
 * Protocol, all inside the one transaction that also makes the request's writes:
 *
 *     hb_idempotency_begin()     locks the key (concurrent retries queue here), then looks it up:
 *                                NEW, REPLAY (response filled) or MISMATCH (same key, other
 * request) … the handler writes … hb_idempotency_save()      stores the response with the writes;
 * commit.
 *
 * If the transaction rolls back, nothing is stored and a retry runs afresh.
 */
#ifndef HB_CORE_IDEMPOTENCY_H
#define HB_CORE_IDEMPOTENCY_H

#include <stddef.h>

#include "store/store.h"
#include "util/crypto.h"

typedef enum hb_idem_state { HB_IDEM_NEW, HB_IDEM_REPLAY, HB_IDEM_MISMATCH } hb_idem_state;

typedef struct hb_idem_response {
    int status;
    char *content_type; /* owned */
    char *location;     /* owned; NULL when none */
    char *body;         /* owned, NUL-terminated */
    size_t body_len;
} hb_idem_response;

/* Free the owned strings; the struct may be reused. */
void hb_idem_response_dispose(hb_idem_response *r);

/* Whether key is acceptable: 1 to HB_IDEMPOTENCY_KEY_MAX printable ASCII characters. */
int hb_idempotency_key_check(const char *key);

/*
 * In a transaction: lock (org, key), purge the organisation's expired records, and look the key
 * up. *state is NEW, or REPLAY with *replay filled (dispose it), or MISMATCH when the key was used
 * for a request whose hash differs from request_sha256.
 */
int hb_idempotency_begin(hb_store *store, hb_idem_state *state, hb_idem_response *replay,
                         const char *org, const char *key,
                         const char request_sha256[HB_SHA256_HEXLEN + 1]);

/* In the same transaction: store the response for (org, key). */
int hb_idempotency_save(hb_store *store, const char *org, const char *key,
                        const char request_sha256[HB_SHA256_HEXLEN + 1],
                        const hb_idem_response *response);

#endif
