/*
 * registry/fhir.c — FHIR R4 export of the registries (see fhir.h for the mapping).
 *
 * Each resource type is one query and one builder; the builders take a row of text columns
 * ("" for NULL) and add elements only when they have a value, because FHIR forbids empty
 * strings, arrays and objects. Elements are added in the order of the R4 resource definitions
 * so the JSON reads like the specification's examples.
 */
#include "registry/fhir.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "registry/practitioners.h"
#include "registry/registry_int.h"
#include "util/alloc.h"
#include "util/clock.h"

#define SID               HB_REGISTRY_FHIR_CANONICAL "/sid/"
#define CATEGORY_SYSTEM   HB_REGISTRY_FHIR_CANONICAL "/CodeSystem/professional-category"
#define ACCREDITATION_URL HB_REGISTRY_FHIR_CANONICAL "/StructureDefinition/accreditation"

static const char *const resource_names[] = { "Organization", "Practitioner", "PractitionerRole",
                                              "Medication", "Device" };

int hb_registry_fhir_parse_resources(unsigned *out, const char *list)
{
    *out = 0;
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        unsigned bit = 0;
        for (size_t i = 0; i < 5; i++)
            if (strlen(resource_names[i]) == n && strncmp(resource_names[i], p, n) == 0)
                bit = 1u << i;
        if (!bit)
            return hb_error_set(HB_EINVAL,
                                "'%.*s' is not one of Organization, Practitioner, "
                                "PractitionerRole, Medication, Device",
                                (int)n, p);
        *out |= bit;
        p += n + (p[n] == ',');
    }
    return *out ? 0 : hb_error_set(HB_EINVAL, "no resource type given");
}

/* A FHIR id for a registry code: the code itself when it is one, else x-<hash>. */
static void fhir_id(char out[24 + HB_REGISTRY_VALUE_MAX], const char *code)
{
    size_t n = strlen(code);
    bool ok = n >= 1 && n <= 64;
    for (size_t i = 0; ok && i < n; i++)
        ok = (code[i] >= 'a' && code[i] <= 'z') || (code[i] >= 'A' && code[i] <= 'Z') ||
             (code[i] >= '0' && code[i] <= '9') || code[i] == '-' || code[i] == '.';
    if (ok) {
        snprintf(out, 24 + HB_REGISTRY_VALUE_MAX, "%s", code);
        return;
    }
    uint64_t h = 1469598103934665603ULL; /* FNV-1a: stable across exports */
    for (const char *s = code; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    snprintf(out, 24 + HB_REGISTRY_VALUE_MAX, "x-%016llx", (unsigned long long)h);
}

/* Set key to a string only when there is one: FHIR has no empty strings. */
static void set_str(json_t *obj, const char *key, const char *value)
{
    if (value && *value)
        json_object_set_new(obj, key, json_string(value));
}

static json_t *identifier(const char *system, const char *value)
{
    return json_pack("{s:s, s:s}", "system", system, "value", value);
}

static json_t *period(const char *start, const char *end)
{
    json_t *p = json_object();
    set_str(p, "start", start);
    set_str(p, "end", end);
    return p;
}

static json_t *text_concept(const char *text)
{
    return json_pack("{s:s}", "text", text);
}

/* Append an entry {fullUrl, resource} to the bundle; consumes resource. */
static int add_entry(json_t *entries, const char *base, json_t *resource)
{
    const char *type = json_string_value(json_object_get(resource, "resourceType"));
    const char *id = json_string_value(json_object_get(resource, "id"));
    char url[HB_PATH_MAX];
    snprintf(url, sizeof url, "%s/%s/%s", base, type, id);
    json_t *entry = json_pack("{s:s, s:o}", "fullUrl", url, "resource", resource);
    if (!entry || json_array_append_new(entries, entry) < 0)
        return hb_error_set(HB_ENOMEM, "cannot build the FHIR bundle");
    return 0;
}

/* Each export step reads rows of text columns. */
typedef struct fhir_ctx {
    hb_store *store;
    const hb_registry_caller *caller;
    const hb_registry_fhir_options *opt;
    char day[HB_DATE_STRLEN];
    json_t *entries;
} fhir_ctx;

typedef int (*row_fn)(fhir_ctx *ctx, const char *const *col);

/* Run sql with its n text parameters and call fn for each row. */
static int each_row(fhir_ctx *ctx, const char *sql, const char *const *params, int n, row_fn fn)
{
    hb_stmt *st;
    int rc = hb_store_prepare(ctx->store, &st, sql);
    for (int i = 0; rc == 0 && i < n; i++)
        rc = hb_stmt_bind_cstr(st, i + 1, params[i]);
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        const char *col[16];
        int ncols = hb_stmt_column_count(st);
        for (int c = 0; c < ncols && c < 16; c++)
            col[c] = hb_stmt_text(st, c, NULL);
        rc = fn(ctx, col);
    }
    hb_stmt_finalize(st);
    return rc;
}

/* One accreditation as a complex extension. */
static json_t *accreditation(fhir_ctx *ctx, const char *const *a)
{
    char item[2 * HB_REGISTRY_VALUE_MAX];
    hb_registry_status st = HB_REGISTRY_ACTIVE;
    snprintf(item, sizeof item, "%s/%s", a[0], a[1]);
    hb_registry__status_on(ctx->store, &st, "accreditations", item, ctx->day, NULL, NULL);
    json_t *parts = json_array();
    json_array_append_new(parts, json_pack("{s:s, s:s}", "url", "standard", "valueCode", a[0]));
    json_array_append_new(parts, json_pack("{s:s, s:s}", "url", "reference", "valueString", a[1]));
    if (*a[2])
        json_array_append_new(parts, json_pack("{s:s, s:s}", "url", "level", "valueString", a[2]));
    json_array_append_new(
        parts, json_pack("{s:s, s:o}", "url", "period", "valuePeriod", period(a[3], a[4])));
    json_array_append_new(
        parts, json_pack("{s:s, s:s}", "url", "status", "valueCode", hb_registry_status_name(st)));
    return json_pack("{s:o, s:s}", "extension", parts, "url", ACCREDITATION_URL);
}

static int accreditations(fhir_ctx *ctx, const char *code, json_t *org)
{
    hb_stmt *st;
    json_t *ext = json_array();
    int rc = hb_store_prepare(ctx->store, &st,
                              "SELECT standard, reference, level, valid_from, valid_to"
                              " FROM hb_registry_accreditations WHERE institution = ?"
                              " ORDER BY standard, valid_from");
    if (rc == 0)
        rc = hb_stmt_bind_cstr(st, 1, code);
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        const char *a[5];
        for (int c = 0; c < 5; c++)
            a[c] = hb_stmt_text(st, c, NULL);
        json_array_append_new(ext, accreditation(ctx, a));
        rc = 0;
    }
    hb_stmt_finalize(st);
    if (json_array_size(ext))
        json_object_set_new(org, "extension", ext);
    else
        json_decref(ext);
    return rc;
}

/* code, jurisdiction, name_en, zh_hans, zh_hant, pt, region name */
static int organization(fhir_ctx *ctx, const char *const *c)
{
    char id[24 + HB_REGISTRY_VALUE_MAX];
    fhir_id(id, c[0]);
    json_t *org = json_pack("{s:s, s:s}", "resourceType", "Organization", "id", id);
    int rc = accreditations(ctx, c[0], org);
    json_object_set_new(org, "identifier", json_pack("[o]", identifier(SID "institution", c[0])));
    json_object_set_new(org, "active", json_true());
    json_object_set_new(org, "type",
                        json_pack("[{s:[{s:s, s:s, s:s}]}]", "coding", "system",
                                  "http://terminology.hl7.org/CodeSystem/organization-type", "code",
                                  "prov", "display", "Healthcare Provider"));
    set_str(org, "name", c[2]);
    json_t *alias = json_array();
    for (int i = 3; i <= 5; i++)
        if (*c[i])
            json_array_append_new(alias, json_string(c[i]));
    json_object_set_new(org, "alias", alias);
    if (!json_array_size(alias))
        json_object_del(org, "alias");
    const char *country = strcmp(c[1], "GD") == 0 ? "CN" : c[1];
    json_object_set_new(org, "address",
                        json_pack("[{s:s, s:s}]", "city", c[6], "country", country));
    if (rc < 0) {
        json_decref(org);
        return rc;
    }
    return add_entry(ctx->entries, ctx->opt->base, org);
}

static json_t *category_concept(const char *code, const char *display)
{
    return json_pack("{s:[{s:s, s:s, s:s}]}", "coding", "system", CATEGORY_SYSTEM, "code", code,
                     "display", display);
}

static json_t *qualification(json_t *ident, json_t *code, const char *from, const char *to,
                             const char *issuer)
{
    json_t *q = json_object();
    if (ident)
        json_object_set_new(q, "identifier", json_pack("[o]", ident));
    json_object_set_new(q, "code", code);
    if (*from || *to)
        json_object_set_new(q, "period", period(from, to));
    if (*issuer)
        json_object_set_new(q, "issuer", json_pack("{s:s}", "display", issuer));
    return q;
}

/* Home registrations, then permits, then titles, each as a qualification. */
static int qualifications(fhir_ctx *ctx, const char *person, const char *category,
                          const char *category_name, json_t *out)
{
    static const char sql[] =
        "SELECT 'r', g.register, g.number, g.registered_from, COALESCE(g.registered_to, ''),"
        " r.authority, '' FROM hb_registry_registrations g JOIN hb_registry_registers r"
        " ON r.code = g.register WHERE g.practitioner = ?"
        " UNION ALL SELECT 'p', scheme, permit_no, valid_from, valid_to, issuer, ''"
        " FROM hb_registry_permits WHERE practitioner = ?"
        " UNION ALL SELECT 't', level, title, granted_on, '', granted_by, COALESCE(basis, '')"
        " FROM hb_registry_titles WHERE practitioner = ? ORDER BY 1, 4, 3";
    hb_stmt *st;
    int rc = hb_store_prepare(ctx->store, &st, sql);
    for (int i = 1; rc == 0 && i <= 3; i++)
        rc = hb_stmt_bind_cstr(st, i, person);
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        const char *q[7];
        char system[HB_REGISTRY_VALUE_MAX + 64], text[2 * HB_REGISTRY_VALUE_MAX];
        for (int c = 0; c < 7; c++)
            q[c] = hb_stmt_text(st, c, NULL);
        json_t *ident = NULL, *code;
        if (q[0][0] == 't') {
            snprintf(text, sizeof text, "%s (%s)", q[2], q[1]);
            code = text_concept(text);
        } else {
            snprintf(system, sizeof system, SID "%s/%s", q[0][0] == 'r' ? "register" : "permit",
                     q[1]);
            ident = identifier(system, q[2]);
            code = category_concept(category, category_name);
        }
        json_array_append_new(out, qualification(ident, code, q[3], q[4], q[5]));
        rc = 0;
    }
    hb_stmt_finalize(st);
    return rc;
}

/* gender, birthDate, telecom: only for callers the restricted-fields policy admits. */
static void restricted_fields(json_t *p, const char *const *c)
{
    set_str(p, "gender", c[7]);
    set_str(p, "birthDate", c[8]);
    json_t *telecom = json_array();
    if (*c[9])
        json_array_append_new(telecom, json_pack("{s:s, s:s}", "system", "phone", "value", c[9]));
    if (*c[10])
        json_array_append_new(telecom, json_pack("{s:s, s:s}", "system", "email", "value", c[10]));
    if (json_array_size(telecom))
        json_object_set_new(p, "telecom", telecom);
    else
        json_decref(telecom);
}

/* id, home, category, name_en, zh_hant, zh_hans, specialty, sex, birth, phone, email,
 * category name, in good standing (1/0) */
static int practitioner(fhir_ctx *ctx, const char *const *c)
{
    char id[24 + HB_REGISTRY_VALUE_MAX];
    bool restricted = false;
    int rc = hb_registry_sees_restricted(ctx->store, ctx->caller, c[0], ctx->opt->on, &restricted);
    if (rc < 0)
        return rc;
    fhir_id(id, c[0]);
    json_t *p =
        json_pack("{s:s, s:s, s:[o], s:b}", "resourceType", "Practitioner", "id", id, "identifier",
                  identifier(SID "practitioner", c[0]), "active", strcmp(c[12], "1") == 0);
    json_t *names = json_pack("[{s:s, s:s}]", "use", "official", "text", c[3]);
    for (int i = 4; i <= 5; i++)
        if (*c[i])
            json_array_append_new(names, json_pack("{s:s}", "text", c[i]));
    json_object_set_new(p, "name", names);
    if (restricted)
        restricted_fields(p, c);
    json_t *quals = json_array();
    rc = qualifications(ctx, c[0], c[2], c[11], quals);
    if (json_array_size(quals))
        json_object_set_new(p, "qualification", quals);
    else
        json_decref(quals);
    if (rc < 0) {
        json_decref(p);
        return rc;
    }
    return add_entry(ctx->entries, ctx->opt->base, p);
}

/* practitioner, institution, from, to, category, specialty, active (1/0) */
static int practitioner_role(fhir_ctx *ctx, const char *const *c)
{
    char id[24 + HB_REGISTRY_VALUE_MAX], key[3 * HB_REGISTRY_VALUE_MAX], who[HB_PATH_MAX],
        where[HB_PATH_MAX];
    snprintf(key, sizeof key, "%s/%s/%s", c[0], c[1], c[2]);
    fhir_id(id, key);
    char ref[24 + HB_REGISTRY_VALUE_MAX];
    fhir_id(ref, c[0]);
    snprintf(who, sizeof who, "Practitioner/%s", ref);
    fhir_id(ref, c[1]);
    snprintf(where, sizeof where, "Organization/%s", ref);
    json_t *r =
        json_pack("{s:s, s:s, s:[o], s:b, s:o, s:{s:s}, s:{s:s}, s:[{s:[{s:s, s:s}]}]}",
                  "resourceType", "PractitionerRole", "id", id, "identifier",
                  identifier(SID "employment", key), "active", strcmp(c[6], "1") == 0, "period",
                  period(c[2], c[3]), "practitioner", "reference", who, "organization", "reference",
                  where, "code", "coding", "system", CATEGORY_SYSTEM, "code", c[4]);
    if (r && *c[5])
        json_object_set_new(r, "specialty", json_pack("[o]", text_concept(c[5])));
    return r ? add_entry(ctx->entries, ctx->opt->base, r)
             : hb_error_set(HB_ENOMEM, "cannot build a PractitionerRole");
}

/* code, hk_reg_no, mo_reg_no, name_en, zh_hans, zh_hant, inn, form, strength, device_class,
 * holder, evidence */
static json_t *product_identifiers(const char *const *c, const char *kind)
{
    char system[96];
    json_t *ids = json_pack("[o]", identifier(SID "product", c[0]));
    if (*c[1]) {
        snprintf(system, sizeof system, SID "hk-%s-registration", kind);
        json_array_append_new(ids, identifier(system, c[1]));
    }
    if (*c[2]) {
        snprintf(system, sizeof system, SID "mo-%s-registration", kind);
        json_array_append_new(ids, identifier(system, c[2]));
    }
    return ids;
}

static bool product_active(fhir_ctx *ctx, const char *code)
{
    hb_registry_status st = HB_REGISTRY_ACTIVE;
    hb_registry__status_on(ctx->store, &st, "products", code, ctx->day, NULL, NULL);
    return st == HB_REGISTRY_ACTIVE;
}

static int medication(fhir_ctx *ctx, const char *const *c)
{
    char id[24 + HB_REGISTRY_VALUE_MAX], text[2 * HB_REGISTRY_TEXT_MAX];
    fhir_id(id, c[0]);
    snprintf(text, sizeof text, "%s %s", c[3], c[8]);
    json_t *m = json_pack("{s:s, s:s, s:o, s:o, s:s}", "resourceType", "Medication", "id", id,
                          "identifier", product_identifiers(c, "drug"), "code", text_concept(text),
                          "status", product_active(ctx, c[0]) ? "active" : "inactive");
    if (m && *c[10])
        json_object_set_new(m, "manufacturer", json_pack("{s:s}", "display", c[10]));
    if (m && *c[7])
        json_object_set_new(m, "form", text_concept(c[7]));
    if (m && *c[6])
        json_object_set_new(
            m, "ingredient",
            json_pack("[{s:o, s:b}]", "itemCodeableConcept", text_concept(c[6]), "isActive", 1));
    return m ? add_entry(ctx->entries, ctx->opt->base, m)
             : hb_error_set(HB_ENOMEM, "cannot build a Medication");
}

static int device(fhir_ctx *ctx, const char *const *c)
{
    char id[24 + HB_REGISTRY_VALUE_MAX];
    fhir_id(id, c[0]);
    json_t *names = json_pack("[{s:s, s:s}]", "name", c[3], "type", "user-friendly-name");
    for (int i = 4; names && i <= 5; i++)
        if (*c[i])
            json_array_append_new(
                names, json_pack("{s:s, s:s}", "name", c[i], "type", "user-friendly-name"));
    json_t *d = json_pack("{s:s, s:s, s:o, s:s, s:o}", "resourceType", "Device", "id", id,
                          "identifier", product_identifiers(c, "device"), "status",
                          product_active(ctx, c[0]) ? "active" : "inactive", "deviceName", names);
    if (d && *c[10])
        json_object_set_new(d, "manufacturer", json_string(c[10]));
    if (d && *c[9])
        json_object_set_new(d, "property",
                            json_pack("[{s:o, s:[o]}]", "type",
                                      text_concept("device risk class (Hong Kong/Macao)"),
                                      "valueCode", text_concept(c[9])));
    if (d && *c[11])
        json_object_set_new(d, "note", json_pack("[{s:s}]", "text", c[11]));
    return d ? add_entry(ctx->entries, ctx->opt->base, d)
             : hb_error_set(HB_ENOMEM, "cannot build a Device");
}

static const char org_sql[] =
    "SELECT i.code, i.jurisdiction, i.name_en, COALESCE(i.name_zh_hans, ''),"
    " COALESCE(i.name_zh_hant, ''), COALESCE(i.name_pt, ''), r.name_en"
    " FROM hb_registry_institutions i JOIN hb_regions r ON r.code = i.region ORDER BY i.code";

static const char practitioner_sql[] =
    "SELECT p.id, p.home_jurisdiction, p.category, p.name_en, COALESCE(p.name_zh_hant, ''),"
    " COALESCE(p.name_zh_hans, ''), COALESCE(p.specialty, ''), COALESCE(p.sex, ''),"
    " COALESCE(p.date_of_birth, ''), COALESCE(p.phone, ''), COALESCE(p.email, ''), c.name_en,"
    " CASE WHEN EXISTS (SELECT 1 FROM hb_registry_registrations g"
    "  JOIN hb_registry_registers r ON r.code = g.register WHERE g.practitioner = p.id"
    "  AND r.jurisdiction = p.home_jurisdiction AND g.registered_from <= ?"
    "  AND (g.registered_to IS NULL OR g.registered_to >= ?)"
    "  AND COALESCE((SELECT s.status FROM hb_registry_status s WHERE s.kind = 'registrations'"
    "  AND s.item = g.register || '/' || g.number AND s.effective_from <= ?"
    "  ORDER BY s.effective_from DESC LIMIT 1), 'active') = 'active')"
    " AND NOT EXISTS (SELECT 1 FROM hb_registry_disciplinary d WHERE d.practitioner = p.id"
    "  AND d.action IN ('suspension', 'removal') AND d.effective_from <= ?"
    "  AND (d.effective_to IS NULL OR d.effective_to >= ?)) THEN '1' ELSE '0' END"
    " FROM hb_registry_practitioners p JOIN hb_registry_categories c ON c.code = p.category"
    " ORDER BY p.id";

static const char role_sql[] =
    "SELECT e.practitioner, e.institution, e.valid_from, COALESCE(e.valid_to, ''), p.category,"
    " COALESCE(p.specialty, ''), CASE WHEN e.valid_from <= ? AND (e.valid_to IS NULL"
    " OR e.valid_to >= ?) THEN '1' ELSE '0' END FROM hb_registry_employments e"
    " JOIN hb_registry_practitioners p ON p.id = e.practitioner"
    " ORDER BY e.practitioner, e.institution, e.valid_from";

static const char product_sql[] =
    "SELECT code, COALESCE(hk_reg_no, ''), COALESCE(mo_reg_no, ''), name_en,"
    " COALESCE(name_zh_hans, ''), COALESCE(name_zh_hant, ''), COALESCE(inn, ''),"
    " COALESCE(form, ''), COALESCE(strength, ''), COALESCE(device_class, ''),"
    " COALESCE(holder, ''), COALESCE(home_use_evidence, '') FROM hb_registry_products"
    " WHERE kind = ? ORDER BY code";

static int export_all(fhir_ctx *ctx)
{
    const char *days[5] = { ctx->day, ctx->day, ctx->day, ctx->day, ctx->day };
    static const char *const drug[] = { "drug" }, *const dev[] = { "device" };
    unsigned want = ctx->opt->resources;
    int rc = 0;
    if (want & HB_FHIR_ORGANIZATION)
        rc = each_row(ctx, org_sql, NULL, 0, organization);
    if (rc == 0 && (want & HB_FHIR_PRACTITIONER))
        rc = each_row(ctx, practitioner_sql, days, 5, practitioner);
    if (rc == 0 && (want & HB_FHIR_PRACTITIONER_ROLE))
        rc = each_row(ctx, role_sql, days, 2, practitioner_role);
    if (rc == 0 && (want & HB_FHIR_MEDICATION))
        rc = each_row(ctx, product_sql, drug, 1, medication);
    if (rc == 0 && (want & HB_FHIR_DEVICE))
        rc = each_row(ctx, product_sql, dev, 1, device);
    return rc;
}

int hb_registry_fhir_export(hb_store *store, const hb_registry_caller *caller,
                            const hb_registry_fhir_options *opt, char **out)
{
    char now[HB_TIMESTAMP_STRLEN];
    fhir_ctx ctx = { .store = store, .caller = caller, .opt = opt, .entries = json_array() };
    hb_date_format(ctx.day, opt->on);
    int rc = ctx.entries ? export_all(&ctx) : HB_ENOMEM;
    if (rc < 0) {
        json_decref(ctx.entries);
        return rc;
    }
    json_t *bundle = json_pack("{s:s, s:s, s:s}", "resourceType", "Bundle", "type", "collection",
                               "timestamp", hb_timestamp_now(now));
    if (bundle && json_array_size(ctx.entries)) /* FHIR has no empty arrays */
        json_object_set(bundle, "entry", ctx.entries);
    json_decref(ctx.entries);
    char *text = bundle ? json_dumps(bundle, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(bundle);
    if (!text)
        return hb_error_set(HB_ENOMEM, "cannot render the FHIR bundle");
    *out = text; /* jansson allocates with the C allocator, as hb_malloc does: hb_free it */
    return 0;
}
