/*
 * core/accounts.c — organisations and tokens (see accounts.h).
 */
#include "core/accounts.h"

#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include "util/utf8.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const org_kind_names[] = {
    "health_authority", "hospital", "clinic", "blood_centre", "laboratory", "insurer",
};
_Static_assert(COUNT(org_kind_names) == HB_ORG_KIND_COUNT, "a name for every organisation kind");

static const char *const role_names[] = {
    "admin", "epidemiologist", "reporter", "clinician", "blood_bank", "auditor", "monitor",
};
_Static_assert(COUNT(role_names) == HB_ROLE_COUNT, "a name for every role");
_Static_assert(HB_ROLE_COUNT < 32, "roles are bits of an unsigned");

const char *hb_org_kind_name(hb_org_kind kind)
{
    return (unsigned)kind < HB_ORG_KIND_COUNT ? org_kind_names[kind] : "unknown";
}

int hb_org_kind_parse(hb_org_kind *out, const char *name)
{
    for (size_t i = 0; i < COUNT(org_kind_names); i++)
        if (strcmp(name, org_kind_names[i]) == 0) {
            *out = (hb_org_kind)i;
            return 0;
        }
    return hb_error_set(HB_EINVAL,
                        "unknown organisation kind '%.64s' (use health_authority, hospital, "
                        "clinic, blood_centre, laboratory or insurer)",
                        name);
}

const char *hb_role_name(hb_role role)
{
    return (unsigned)role < HB_ROLE_COUNT ? role_names[role] : "unknown";
}

int hb_role_parse(hb_role *out, const char *name)
{
    for (size_t i = 0; i < COUNT(role_names); i++)
        if (strcmp(name, role_names[i]) == 0) {
            *out = (hb_role)i;
            return 0;
        }
    return hb_error_set(HB_EINVAL,
                        "unknown role '%.64s' (use admin, epidemiologist, reporter, clinician, "
                        "blood_bank, auditor or monitor)",
                        name);
}

int hb_roles_parse(hb_roles *out, const char *list)
{
    hb_roles roles = 0;
    const char *p = list;
    for (;;) {
        size_t len = strcspn(p, ",");
        char name[32];
        if (len == 0 || len >= sizeof name)
            return hb_error_set(HB_EINVAL, "'%.64s' is not a comma-separated list of roles", list);
        memcpy(name, p, len);
        name[len] = '\0';
        hb_role role = HB_ROLE_COUNT; /* set on success; the optimiser cannot tell */
        int rc = hb_role_parse(&role, name);
        if (rc < 0)
            return rc;
        roles |= 1u << role;
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    *out = roles;
    return 0;
}

void hb_roles_format(char *out, size_t size, hb_roles roles)
{
    size_t used = 0;
    out[0] = '\0';
    for (unsigned r = 0; r < HB_ROLE_COUNT; r++) {
        if (!(roles & (1u << r)))
            continue;
        int n = snprintf(out + used, size - used, "%s%s", used ? "," : "", role_names[r]);
        if (n < 0 || (size_t)n >= size - used)
            return; /* truncated: callers size out for every role */
        used += (size_t)n;
    }
}

/* Lowercase letters, digits and '-', starting with a letter: safe in URLs, file names and
 * command lines, and case cannot make two codes look alike. */
int hb_org_code_check(const char *code)
{
    size_t len = strlen(code);
    bool ok = len >= 2 && len <= HB_ORG_CODE_MAX && code[0] >= 'a' && code[0] <= 'z';
    for (size_t i = 0; ok && i < len; i++) {
        char c = code[i];
        ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    }
    if (!ok)
        return hb_error_set(HB_EINVAL,
                            "organisation code '%.64s' must be 2 to %d lowercase letters, digits "
                            "or '-', starting with a letter",
                            code, HB_ORG_CODE_MAX);
    return 0;
}

/* Printable UTF-8 text of at most HB_NAME_MAX bytes: names end up in terminals and CSV files. */
int hb_text_check(const char *what, const char *text, bool required)
{
    size_t len = strlen(text);
    if (required && len == 0)
        return hb_error_set(HB_EINVAL, "%s must not be empty", what);
    if (len > HB_NAME_MAX)
        return hb_error_set(HB_EINVAL, "%s is longer than %d bytes", what, HB_NAME_MAX);
    if (hb_utf8_invalid_at(text, len) != SIZE_MAX)
        return hb_error_set(HB_EINVAL, "%s is not valid UTF-8", what);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
            return hb_error_set(HB_EINVAL, "%s contains a control character", what);
    return 0;
}

int hb_jurisdiction_check(const char *j)
{
    if (strcmp(j, "GD") == 0 || strcmp(j, "HK") == 0 || strcmp(j, "MO") == 0)
        return 0;
    return hb_error_set(HB_EINVAL, "jurisdiction '%.8s' must be GD, HK or MO", j);
}

int hb_org_validate(const hb_org *org)
{
    int rc = hb_org_code_check(org->code);
    if (rc == 0 && (unsigned)org->kind >= HB_ORG_KIND_COUNT)
        rc = hb_error_set(HB_EINVAL, "unknown organisation kind");
    if (rc == 0)
        rc = hb_jurisdiction_check(org->jurisdiction);
    if (rc == 0)
        rc = hb_text_check("name", org->name, true);
    return rc;
}

int hb_org_create(hb_store *store, hb_org *org)
{
    int rc = hb_org_validate(org);
    if (rc < 0)
        return rc;
    hb_timestamp_now(org->created_at);
    hb_stmt *st;
    rc = hb_store_prepare(store, &st,
                          "INSERT INTO hb_orgs (code, name, kind, jurisdiction, created_at)"
                          " VALUES (?, ?, ?, ?, ?)");
    if (rc < 0)
        return rc;
    if ((rc = hb_stmt_bind_cstr(st, 1, org->code)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, org->name)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 3, hb_org_kind_name(org->kind))) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 4, org->jurisdiction)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 5, org->created_at)) == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    if (rc == HB_ECONFLICT)
        return hb_error_set(HB_ECONFLICT, "organisation '%s' exists already", org->code);
    return rc < 0 ? rc : 0;
}

static void copy_col(char *out, size_t size, hb_stmt *st, int col)
{
    snprintf(out, size, "%s", hb_stmt_is_null(st, col) ? "" : hb_stmt_text(st, col, NULL));
}

#define ORG_COLUMNS "code, name, kind, jurisdiction, created_at"

static int read_org(hb_stmt *st, hb_org *out)
{
    copy_col(out->code, sizeof out->code, st, 0);
    copy_col(out->name, sizeof out->name, st, 1);
    copy_col(out->jurisdiction, sizeof out->jurisdiction, st, 3);
    copy_col(out->created_at, sizeof out->created_at, st, 4);
    int rc = hb_org_kind_parse(&out->kind, hb_stmt_text(st, 2, NULL));
    return rc < 0 ? hb_error_prefix("organisation '%s' in the database: ", out->code) : 0;
}

int hb_org_get(hb_store *store, hb_org *out, const char *code)
{
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st, "SELECT " ORG_COLUMNS " FROM hb_orgs WHERE code = ?");
    if (rc < 0)
        return rc;
    rc = hb_stmt_bind_cstr(st, 1, code);
    if (rc == 0)
        rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW)
        rc = read_org(st, out);
    else if (rc == HB_STORE_DONE)
        rc = hb_error_set(HB_ENOTFOUND, "no organisation '%.64s'", code);
    hb_stmt_finalize(st);
    return rc;
}

int hb_org_list(hb_store *store, hb_org *out, size_t limit, size_t *count, const char *jurisdiction,
                const char *after)
{
    hb_stmt *st;
    *count = 0;
    int rc = hb_store_prepare(store, &st,
                              "SELECT " ORG_COLUMNS " FROM hb_orgs"
                              " WHERE (CAST(? AS TEXT) IS NULL OR jurisdiction = ?)"
                              " AND code > ? ORDER BY code LIMIT ?");
    if (rc < 0)
        return rc;
    if ((rc = hb_stmt_bind_cstr(st, 1, jurisdiction)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, jurisdiction)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 3, after)) == 0)
        rc = hb_stmt_bind_int64(st, 4, (int64_t)limit);
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW)
        rc = read_org(st, &out[(*count)++]);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

static int check_lifetime(int lifetime_days)
{
    if (lifetime_days < 1 || lifetime_days > HB_TOKEN_LIFETIME_DAYS_MAX)
        return hb_error_set(HB_EINVAL, "a token's lifetime must be 1 to %d days, not %d",
                            HB_TOKEN_LIFETIME_DAYS_MAX, lifetime_days);
    return 0;
}

static int insert_token(hb_store *store, const hb_token_info *t, const char *secret_hash)
{
    char roles[128];
    hb_roles_format(roles, sizeof roles, t->roles);
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st,
                              "INSERT INTO hb_tokens (id, org, roles, secret_sha256, label,"
                              " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (rc < 0)
        return rc;
    if ((rc = hb_stmt_bind_cstr(st, 1, t->id)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, t->org)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 3, roles)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 4, secret_hash)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 5, t->label)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 6, t->created_at)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 7, t->expires_at)) == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

int hb_token_create(hb_store *store, hb_token_info *out, char text[HB_TOKEN_TEXT_LEN + 1],
                    const char *org, hb_roles roles, const char *label, int lifetime_days)
{
    if (roles == 0 || (roles & ~(hb_roles)HB_ROLES_ALL))
        return hb_error_set(HB_EINVAL, "a token needs at least one known role");
    int rc = check_lifetime(lifetime_days);
    if (rc == 0)
        rc = hb_text_check("label", label, false);
    hb_org o;
    if (rc == 0)
        rc = hb_org_get(store, &o, org);
    if (rc < 0)
        return rc;
    memset(out, 0, sizeof *out);
    snprintf(out->org, sizeof out->org, "%s", org);
    snprintf(out->label, sizeof out->label, "%s", label);
    out->roles = roles;
    hb_timestamp_now(out->created_at);
    rc = hb_timestamp_add(out->expires_at, out->created_at, (int64_t)lifetime_days * 86400);

    uint8_t id[HB_TOKEN_ID_BYTES], secret[HB_TOKEN_SECRET_BYTES];
    char secret_hex[HB_TOKEN_SECRET_HEXLEN + 1], secret_hash[HB_SHA256_HEXLEN + 1];
    if (rc == 0)
        rc = hb_random_bytes(id, sizeof id);
    if (rc == 0)
        rc = hb_random_bytes(secret, sizeof secret);
    if (rc == 0) {
        hb_hex_encode(out->id, id, sizeof id);
        hb_hex_encode(secret_hex, secret, sizeof secret);
        hb_sha256_hex(secret_hash, secret_hex, HB_TOKEN_SECRET_HEXLEN);
        rc = insert_token(store, out, secret_hash);
    }
    if (rc == 0)
        snprintf(text, HB_TOKEN_TEXT_LEN + 1, "hb_%s_%s", out->id, secret_hex);
    memset(secret, 0, sizeof secret);
    memset(secret_hex, 0, sizeof secret_hex);
    return rc;
}

#define TOKEN_COLUMNS "id, org, roles, label, created_at, expires_at, revoked_at"

static int read_token(hb_stmt *st, hb_token_info *out)
{
    copy_col(out->id, sizeof out->id, st, 0);
    copy_col(out->org, sizeof out->org, st, 1);
    copy_col(out->label, sizeof out->label, st, 3);
    copy_col(out->created_at, sizeof out->created_at, st, 4);
    copy_col(out->expires_at, sizeof out->expires_at, st, 5);
    copy_col(out->revoked_at, sizeof out->revoked_at, st, 6);
    int rc = hb_roles_parse(&out->roles, hb_stmt_text(st, 2, NULL));
    return rc < 0 ? hb_error_prefix("token %s in the database: ", out->id) : 0;
}

int hb_token_get(hb_store *store, hb_token_info *out, const char *id)
{
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st, "SELECT " TOKEN_COLUMNS " FROM hb_tokens WHERE id = ?");
    if (rc < 0)
        return rc;
    rc = hb_stmt_bind_cstr(st, 1, id);
    if (rc == 0)
        rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW)
        rc = read_token(st, out);
    else if (rc == HB_STORE_DONE)
        rc = hb_error_set(HB_ENOTFOUND, "no token '%.32s'", id);
    hb_stmt_finalize(st);
    return rc;
}

int hb_token_revoke(hb_store *store, hb_token_info *out, const char *id)
{
    int rc = hb_token_get(store, out, id);
    if (rc < 0 || out->revoked_at[0])
        return rc;
    hb_timestamp_now(out->revoked_at);
    hb_stmt *st;
    rc = hb_store_prepare(store, &st,
                          "UPDATE hb_tokens SET revoked_at = ?"
                          " WHERE id = ? AND revoked_at IS NULL");
    if (rc < 0)
        return rc;
    if ((rc = hb_stmt_bind_cstr(st, 1, out->revoked_at)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, id)) == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

int hb_token_list(hb_store *store, hb_token_info *out, size_t limit, size_t *count, const char *org,
                  const char *after)
{
    hb_stmt *st;
    *count = 0;
    int rc = hb_store_prepare(store, &st,
                              "SELECT " TOKEN_COLUMNS " FROM hb_tokens"
                              " WHERE org = ? AND id > ? ORDER BY id LIMIT ?");
    if (rc < 0)
        return rc;
    if ((rc = hb_stmt_bind_cstr(st, 1, org)) == 0 && (rc = hb_stmt_bind_cstr(st, 2, after)) == 0)
        rc = hb_stmt_bind_int64(st, 3, (int64_t)limit);
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW)
        rc = read_token(st, &out[(*count)++]);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

static bool is_hex(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* Split "hb_<id>_<secret>" into its parts; false when it is not of that shape. */
static bool split_token(const char *text, size_t len, char id[HB_TOKEN_ID_HEXLEN + 1],
                        const char **secret)
{
    if (len != HB_TOKEN_TEXT_LEN || memcmp(text, "hb_", 3) != 0 ||
        text[3 + HB_TOKEN_ID_HEXLEN] != '_' || !is_hex(text + 3, HB_TOKEN_ID_HEXLEN) ||
        !is_hex(text + 4 + HB_TOKEN_ID_HEXLEN, HB_TOKEN_SECRET_HEXLEN))
        return false;
    memcpy(id, text + 3, HB_TOKEN_ID_HEXLEN);
    id[HB_TOKEN_ID_HEXLEN] = '\0';
    *secret = text + 4 + HB_TOKEN_ID_HEXLEN;
    return true;
}

/* Check the looked-up row (org, roles, hash, expires, revoked, jurisdiction, kind). */
static int check_token_row(hb_stmt *st, hb_principal *out, const char *secret)
{
    char presented[HB_SHA256_HEXLEN + 1], now[HB_TIMESTAMP_STRLEN];
    size_t stored_len;
    const char *stored = hb_stmt_text(st, 2, &stored_len);
    hb_sha256_hex(presented, secret, HB_TOKEN_SECRET_HEXLEN);
    if (stored_len != HB_SHA256_HEXLEN || !hb_equal_ct(presented, stored, HB_SHA256_HEXLEN))
        return hb_error_set(HB_EAUTH, "token %s: wrong secret", out->token_id);
    if (!hb_stmt_is_null(st, 4))
        return hb_error_set(HB_EAUTH, "token %s was revoked at %s", out->token_id,
                            hb_stmt_text(st, 4, NULL));
    if (strcmp(hb_stmt_text(st, 3, NULL), hb_timestamp_now(now)) <= 0)
        return hb_error_set(HB_EAUTH, "token %s expired at %s", out->token_id,
                            hb_stmt_text(st, 3, NULL));
    copy_col(out->org, sizeof out->org, st, 0);
    copy_col(out->jurisdiction, sizeof out->jurisdiction, st, 5);
    int rc = hb_roles_parse(&out->roles, hb_stmt_text(st, 1, NULL));
    if (rc == 0)
        rc = hb_org_kind_parse(&out->org_kind, hb_stmt_text(st, 6, NULL));
    if (rc < 0) {
        char why[HB_ERROR_MESSAGE_MAX];
        snprintf(why, sizeof why, "%s", hb_error_last());
        return hb_error_set(HB_EAUTH, "token %s: %s", out->token_id, why);
    }
    return 0;
}

int hb_token_authenticate(hb_store *store, hb_principal *out, const char *text, size_t len)
{
    const char *secret;
    memset(out, 0, sizeof *out);
    if (!split_token(text, len, out->token_id, &secret))
        return hb_error_set(HB_EAUTH, "malformed token");
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st,
                              "SELECT t.org, t.roles, t.secret_sha256, t.expires_at,"
                              " t.revoked_at, o.jurisdiction, o.kind"
                              " FROM hb_tokens t JOIN hb_orgs o ON o.code = t.org"
                              " WHERE t.id = ?");
    if (rc < 0)
        return rc;
    rc = hb_stmt_bind_cstr(st, 1, out->token_id);
    if (rc == 0)
        rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW)
        rc = check_token_row(st, out, secret);
    else if (rc == HB_STORE_DONE)
        rc = hb_error_set(HB_EAUTH, "no token %s", out->token_id);
    hb_stmt_finalize(st);
    return rc;
}
