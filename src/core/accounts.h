/*
 * core/accounts.h — who may use healthybay: organisations and their API tokens.
 *
 * Every organisation (a health authority, a hospital, a blood centre, a laboratory…) belongs to
 * exactly one jurisdiction (GD, HK or MO). Every token belongs to one organisation and carries
 * one or more roles; what a role may do is decided by core/policy.h, nowhere else.
 *
 * A token is shown to its owner once, at creation, as
 *
 *     hb_<id>_<secret>      id: 16 hex digits (public), secret: 64 hex digits (256 random bits)
 *
 * The database keeps the id and the SHA-256 of the secret, never the secret: authenticating is one
 * primary-key lookup by id and a constant-time comparison of hashes. A plain (unsalted, fast)
 * hash is enough because the secret is 256 random bits — there is no dictionary to attack, unlike
 * a password. Tokens expire (at most HB_TOKEN_LIFETIME_DAYS_MAX after creation) and can be
 * revoked; both take effect at once on every server sharing the database, because every request
 * reads the token row.
 *
 * Writes here do not open transactions: the caller's transaction (the HTTP request's, or the CLI
 * command's) holds the write together with its audit entry.
 */
#ifndef HB_CORE_ACCOUNTS_H
#define HB_CORE_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/limits.h"

/* Kinds of organisation. WHEN ADDING ONE: append here and to the name table in accounts.c. */
typedef enum hb_org_kind {
    HB_ORG_HEALTH_AUTHORITY, /* the GD Health Commission, HK Department of Health, MO Health Bureau
                              */
    HB_ORG_HOSPITAL,
    HB_ORG_CLINIC,
    HB_ORG_BLOOD_CENTRE,
    HB_ORG_LABORATORY,
    HB_ORG_INSURER,
    HB_ORG_KIND_COUNT
} hb_org_kind;

/* Roles a token can carry. WHEN ADDING ONE: append here, to the name table in accounts.c, and
 * give it its rules in core/policy.c (a role without rules can do nothing). */
typedef enum hb_role {
    HB_ROLE_ADMIN,          /* manages tokens (and, at an authority, organisations) */
    HB_ROLE_EPIDEMIOLOGIST, /* reads and analyses surveillance data */
    HB_ROLE_REPORTER,       /* submits data on behalf of its organisation */
    HB_ROLE_CLINICIAN,      /* works with personal records of patients in its care */
    HB_ROLE_BLOOD_BANK,     /* rare-blood registry and requests */
    HB_ROLE_AUDITOR,        /* reads the audit log */
    HB_ROLE_MONITOR,        /* machine role: scrapes /metrics */
    HB_ROLE_COUNT
} hb_role;

/* A set of roles: bit (1u << role). */
typedef unsigned hb_roles;
#define HB_ROLES_ALL ((1u << HB_ROLE_COUNT) - 1)

#define HB_TOKEN_ID_HEXLEN     (2 * HB_TOKEN_ID_BYTES)
#define HB_TOKEN_SECRET_HEXLEN (2 * HB_TOKEN_SECRET_BYTES)
/* "hb_" id "_" secret */
#define HB_TOKEN_TEXT_LEN      (3 + HB_TOKEN_ID_HEXLEN + 1 + HB_TOKEN_SECRET_HEXLEN)

const char *hb_org_kind_name(hb_org_kind kind);
int hb_org_kind_parse(hb_org_kind *out, const char *name);
const char *hb_role_name(hb_role role);
int hb_role_parse(hb_role *out, const char *name);
/* "admin,auditor" → a set; HB_EINVAL names the unknown role. Empty is invalid. */
int hb_roles_parse(hb_roles *out, const char *list);
/* The set as "admin,auditor" (role order) into out[size]. */
void hb_roles_format(char *out, size_t size, hb_roles roles);

typedef struct hb_org {
    char code[HB_ORG_CODE_MAX + 1];
    char name[HB_NAME_MAX + 1];
    hb_org_kind kind;
    char jurisdiction[3];
    char created_at[HB_TIMESTAMP_STRLEN];
} hb_org;

/* Field checks, each HB_EINVAL with a message fit to show the user. A code is 2 to
 * HB_ORG_CODE_MAX lowercase letters, digits or '-', starting with a letter; a jurisdiction is GD,
 * HK or MO; a name or label is printable UTF-8 of at most HB_NAME_MAX bytes (what names it in
 * messages; required: not empty). */
int hb_org_code_check(const char *code);
int hb_jurisdiction_check(const char *jurisdiction);
int hb_text_check(const char *what, const char *text, bool required);
/* All of an organisation's fields (created_at is not checked). */
int hb_org_validate(const hb_org *org);

/* Insert a new organisation (validated first; created_at is set). HB_ECONFLICT when the code is
 * taken. */
int hb_org_create(hb_store *store, hb_org *org);
/* HB_ENOTFOUND when there is no such organisation. */
int hb_org_get(hb_store *store, hb_org *out, const char *code);

/* One page of organisations ordered by code, after the code `after` ("" = from the start), at
 * most limit of them, optionally only of one jurisdiction (NULL = all). *count gets how many were
 * written to out[0..limit). */
int hb_org_list(hb_store *store, hb_org *out, size_t limit, size_t *count, const char *jurisdiction,
                const char *after);

typedef struct hb_token_info {
    char id[HB_TOKEN_ID_HEXLEN + 1];
    char org[HB_ORG_CODE_MAX + 1];
    hb_roles roles;
    char label[HB_NAME_MAX + 1];
    char created_at[HB_TIMESTAMP_STRLEN];
    char expires_at[HB_TIMESTAMP_STRLEN];
    char revoked_at[HB_TIMESTAMP_STRLEN]; /* "" while not revoked */
} hb_token_info;

/*
 * Create a token for org with roles, valid for lifetime_days (1..HB_TOKEN_LIFETIME_DAYS_MAX).
 * out gets its record; text gets the token itself, the only time it exists outside the client:
 * the caller shows it once and wipes it. HB_ENOTFOUND when org does not exist.
 */
int hb_token_create(hb_store *store, hb_token_info *out, char text[HB_TOKEN_TEXT_LEN + 1],
                    const char *org, hb_roles roles, const char *label, int lifetime_days);

/* Mark a token revoked (now). HB_ENOTFOUND when there is no such token; revoking a revoked token
 * succeeds and keeps the first revocation time. */
int hb_token_revoke(hb_store *store, hb_token_info *out, const char *id);
int hb_token_get(hb_store *store, hb_token_info *out, const char *id);
/* One page of an organisation's tokens ordered by id, after `after` ("" = from the start). */
int hb_token_list(hb_store *store, hb_token_info *out, size_t limit, size_t *count, const char *org,
                  const char *after);

/* Who is calling: what a valid token tells about its bearer. */
typedef struct hb_principal {
    char token_id[HB_TOKEN_ID_HEXLEN + 1];
    char org[HB_ORG_CODE_MAX + 1];
    char jurisdiction[3];
    hb_org_kind org_kind;
    hb_roles roles;
} hb_principal;

/*
 * Authenticate a presented token (text[0..len), as given after "Bearer "). HB_EAUTH, with a
 * message naming which check failed (malformed, unknown, wrong secret, expired, revoked), when it
 * does not identify a live token. The message is for the server log: a client is told only that
 * its token is not valid, so it cannot probe which ids exist.
 */
int hb_token_authenticate(hb_store *store, hb_principal *out, const char *text, size_t len);

#endif
