/* Tests for core/accounts.c: organisations, tokens, authentication. */
#include <string.h>

#include "core/accounts.h"
#include "core/schema.h"
#include "harness.h"

static hb_store *migrated(void)
{
    hb_store *s;
    CHECK_OK(hb_store_open(&s, hb_test_db_url(), HB_STORE_CREATE));
    size_t count, applied;
    const hb_migration *list = hb_schema_migrations(&count);
    CHECK_OK(hb_migrate(s, list, count, &applied, NULL, NULL));
    return s;
}

static hb_org org_of(const char *code, const char *name, hb_org_kind kind, const char *j)
{
    hb_org o = { .kind = kind };
    snprintf(o.code, sizeof o.code, "%s", code);
    snprintf(o.name, sizeof o.name, "%s", name);
    snprintf(o.jurisdiction, sizeof o.jurisdiction, "%s", j);
    return o;
}

TEST(accounts__organisations)
{
    hb_store *s = migrated();
    hb_org o = org_of("mo-chcsj", "Centro Hospitalar Conde de São Januário", HB_ORG_HOSPITAL, "MO");
    CHECK_OK(hb_org_create(s, &o));
    CHECK_INT_EQ(strlen(o.created_at), HB_TIMESTAMP_STRLEN - 1);
    CHECK_FAILS(hb_org_create(s, &o), HB_ECONFLICT, "exists already");
    hb_org got;
    CHECK_OK(hb_org_get(s, &got, "mo-chcsj"));
    CHECK_STR_EQ(got.name, "Centro Hospitalar Conde de São Januário");
    CHECK_INT_EQ(got.kind, HB_ORG_HOSPITAL);
    CHECK_FAILS(hb_org_get(s, &got, "mo-none"), HB_ENOTFOUND, "mo-none");

    hb_org bad = org_of("MO-X", "X", HB_ORG_CLINIC, "MO");
    CHECK_FAILS(hb_org_create(s, &bad), HB_EINVAL, "lowercase");
    bad = org_of("mo-x", "X", HB_ORG_CLINIC, "TW");
    CHECK_FAILS(hb_org_create(s, &bad), HB_EINVAL, "GD, HK or MO");
    bad = org_of("mo-x", "", HB_ORG_CLINIC, "MO");
    CHECK_FAILS(hb_org_create(s, &bad), HB_EINVAL, "empty");
    bad = org_of("mo-x", "tab\there", HB_ORG_CLINIC, "MO");
    CHECK_FAILS(hb_org_create(s, &bad), HB_EINVAL, "control character");
    bad = org_of("mo-x", "bad \xc3", HB_ORG_CLINIC, "MO");
    CHECK_FAILS(hb_org_create(s, &bad), HB_EINVAL, "UTF-8");

    /* Pages by code, filtered by jurisdiction. */
    hb_org more[] = { org_of("hk-a", "A", HB_ORG_CLINIC, "HK"),
                      org_of("hk-b", "B", HB_ORG_CLINIC, "HK"),
                      org_of("hk-c", "C", HB_ORG_CLINIC, "HK") };
    for (size_t i = 0; i < 3; i++)
        CHECK_OK(hb_org_create(s, &more[i]));
    hb_org page[4];
    size_t n;
    CHECK_OK(hb_org_list(s, page, 2, &n, "HK", ""));
    CHECK_INT_EQ(n, 2);
    CHECK_STR_EQ(page[1].code, "hk-b");
    CHECK_OK(hb_org_list(s, page, 4, &n, "HK", "hk-b"));
    CHECK_INT_EQ(n, 1);
    CHECK_STR_EQ(page[0].code, "hk-c");
    CHECK_OK(hb_org_list(s, page, 4, &n, NULL, ""));
    CHECK_INT_EQ(n, 4);
    hb_store_close(s);
}

TEST(accounts__roles_parse_and_format)
{
    hb_roles roles;
    CHECK_OK(hb_roles_parse(&roles, "auditor,admin"));
    CHECK_INT_EQ(roles, 1u << HB_ROLE_ADMIN | 1u << HB_ROLE_AUDITOR);
    char text[128];
    hb_roles_format(text, sizeof text, roles);
    CHECK_STR_EQ(text, "admin,auditor");
    CHECK_FAILS(hb_roles_parse(&roles, "admin,root"), HB_EINVAL, "unknown role 'root'");
    CHECK_FAILS(hb_roles_parse(&roles, ""), HB_EINVAL, NULL);
    CHECK_FAILS(hb_roles_parse(&roles, "admin,"), HB_EINVAL, NULL);
}

TEST(accounts__tokens_authenticate_until_revoked_or_expired)
{
    hb_store *s = migrated();
    hb_org o = org_of("gd-szcdc", "Shenzhen CDC", HB_ORG_LABORATORY, "GD");
    CHECK_OK(hb_org_create(s, &o));
    hb_token_info t;
    char text[HB_TOKEN_TEXT_LEN + 1];
    CHECK_OK(hb_token_create(s, &t, text, "gd-szcdc", 1u << HB_ROLE_REPORTER, "upload job", 30));
    CHECK_INT_EQ(strlen(text), HB_TOKEN_TEXT_LEN);
    CHECK(strncmp(text, "hb_", 3) == 0 && strncmp(text + 3, t.id, 16) == 0);
    CHECK(strcmp(t.expires_at, t.created_at) > 0);

    hb_principal who;
    CHECK_OK(hb_token_authenticate(s, &who, text, strlen(text)));
    CHECK_STR_EQ(who.org, "gd-szcdc");
    CHECK_STR_EQ(who.jurisdiction, "GD");
    CHECK_INT_EQ(who.org_kind, HB_ORG_LABORATORY);
    CHECK_INT_EQ(who.roles, 1u << HB_ROLE_REPORTER);

    /* Two tokens never share a secret or an id. */
    hb_token_info t2;
    char text2[HB_TOKEN_TEXT_LEN + 1];
    CHECK_OK(hb_token_create(s, &t2, text2, "gd-szcdc", 1u << HB_ROLE_ADMIN, "", 1));
    CHECK(strcmp(t.id, t2.id) != 0 && strcmp(text + 20, text2 + 20) != 0);

    char wrong[HB_TOKEN_TEXT_LEN + 1];
    memcpy(wrong, text, sizeof wrong);
    wrong[HB_TOKEN_TEXT_LEN - 1] = wrong[HB_TOKEN_TEXT_LEN - 1] == '0' ? '1' : '0';
    CHECK_FAILS(hb_token_authenticate(s, &who, wrong, strlen(wrong)), HB_EAUTH, "wrong secret");
    CHECK_FAILS(hb_token_authenticate(s, &who, text, strlen(text) - 1), HB_EAUTH, "malformed");
    CHECK_FAILS(hb_token_authenticate(s, &who, "hb_x", 4), HB_EAUTH, "malformed");
    memcpy(wrong, text, sizeof wrong);
    wrong[5] = wrong[5] == 'a' ? 'b' : 'a';
    CHECK_FAILS(hb_token_authenticate(s, &who, wrong, strlen(wrong)), HB_EAUTH, "no token");

    CHECK_OK(hb_token_revoke(s, &t, t.id));
    CHECK(t.revoked_at[0] != '\0');
    char first[HB_TIMESTAMP_STRLEN];
    memcpy(first, t.revoked_at, sizeof first);
    CHECK_OK(hb_token_revoke(s, &t, t.id)); /* again: keeps the first time */
    CHECK_STR_EQ(t.revoked_at, first);
    CHECK_FAILS(hb_token_authenticate(s, &who, text, strlen(text)), HB_EAUTH, "revoked");

    CHECK_OK(hb_store_exec(s, "UPDATE hb_tokens SET expires_at = '2000-01-01T00:00:00.000Z'"));
    CHECK_FAILS(hb_token_authenticate(s, &who, text2, strlen(text2)), HB_EAUTH, "expired");

    CHECK_FAILS(hb_token_create(s, &t, text, "gd-none", 1u, "", 1), HB_ENOTFOUND, NULL);
    CHECK_FAILS(hb_token_create(s, &t, text, "gd-szcdc", 0, "", 1), HB_EINVAL, "role");
    CHECK_FAILS(hb_token_create(s, &t, text, "gd-szcdc", 1u, "", 367), HB_EINVAL, "lifetime");
    CHECK_FAILS(hb_token_revoke(s, &t, "ffffffffffffffff"), HB_ENOTFOUND, NULL);

    hb_token_info list[4];
    size_t n;
    CHECK_OK(hb_token_list(s, list, 4, &n, "gd-szcdc", ""));
    CHECK_INT_EQ(n, 2);
    hb_store_close(s);
}
