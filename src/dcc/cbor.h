/*
 * dcc/cbor.h — the CBOR (RFC 8949) that certificates need: a bounds-checked pull reader, a writer
 * producing deterministic encoding, and conversion to and from JSON (jansson).
 *
 * Why not libcbor: the verifier is the hot path of the hub (a border checkpoint verifies one
 * certificate per traveller) and faces hostile input. This reader works in place on the input
 * bytes (no allocation per item), limits nesting to HB_CBOR_DEPTH_MAX while it reads, and names
 * the byte offset of every error; libcbor 0.8 builds a heap tree of every item first and has no
 * depth limit. The writer sorts map keys (RFC 8949 §4.2.1 core deterministic encoding) so an
 * issued certificate is reproducible byte for byte.
 *
 * Reading: hb_cbor_read() consumes one data item's head; for byte and text strings it also
 * consumes the content and points at it. Arrays and maps are then read element by element; an
 * indefinite-length container ends where hb_cbor_break() returns true. Indefinite-length
 * (chunked) strings are refused: no certificate issuer uses them and they cannot be pointed at
 * in place.
 */
#ifndef HB_DCC_CBOR_H
#define HB_DCC_CBOR_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

enum {
    HB_CBOR_UINT = 0,
    HB_CBOR_NINT = 1,
    HB_CBOR_BYTES = 2,
    HB_CBOR_TEXT = 3,
    HB_CBOR_ARRAY = 4,
    HB_CBOR_MAP = 5,
    HB_CBOR_TAG = 6,
    HB_CBOR_SIMPLE = 7 /* false, true, null, undefined, floats */
};

typedef struct hb_cbor_item {
    int major;          /* HB_CBOR_* */
    uint64_t arg;       /* integer value, string length, element/pair count, tag, simple value */
    bool indefinite;    /* arrays and maps only */
    const uint8_t *ptr; /* string content (in the input) */
    bool is_float;      /* HB_CBOR_SIMPLE holding a half, single or double float */
    double real;        /* its value */
} hb_cbor_item;

typedef struct hb_cbor {
    const uint8_t *start, *p, *end;
} hb_cbor;

void hb_cbor_init(hb_cbor *r, const uint8_t *data, size_t len);
/* Offset of the next byte to read (for messages). */
size_t hb_cbor_offset(const hb_cbor *r);

/* Read one item's head (and a string's content). HB_EINVAL with "CBOR at offset N: …". */
int hb_cbor_read(hb_cbor *r, hb_cbor_item *item);
/* Inside an indefinite container: true (and consumed) when the next byte is the break 0xFF. */
bool hb_cbor_break(hb_cbor *r);
/* Skip the rest of item (already read): its elements, recursively, depth levels deep so far. */
int hb_cbor_skip(hb_cbor *r, const hb_cbor_item *item, int depth);
/* Read a whole item and skip it: for "ignore this value". */
int hb_cbor_skip_next(hb_cbor *r, int depth);
/* An integer item (major 0 or 1) as int64; false when not an integer or out of range. */
bool hb_cbor_int(const hb_cbor_item *item, int64_t *out);

/*
 * Convert the next item to JSON: maps need text keys (objects), byte strings become base64url
 * text, tag 1 (epoch time) becomes RFC 3339 text, other tags are transparent, undefined becomes
 * null. Text must be valid UTF-8. *out is a new reference.
 */
int hb_cbor_to_json(json_t **out, hb_cbor *r, int depth);

/* Encode an item head into out; returns its length (1..9). */
size_t hb_cbor_encode_head(uint8_t out[9], int major, uint64_t arg);
/* Writer: append to buf. */
int hb_cbor_put_head(hb_buf *buf, int major, uint64_t arg);
int hb_cbor_put_int(hb_buf *buf, int64_t value);
int hb_cbor_put_bytes(hb_buf *buf, const void *data, size_t len);
int hb_cbor_put_text(hb_buf *buf, const char *text, size_t len);
/* JSON → CBOR, deterministic: object keys sorted by encoded form, integers as integers, other
 * numbers as float64. */
int hb_cbor_from_json(hb_buf *buf, const json_t *value, int depth);

#endif
