/*
 * blood/reference.c — loading and listing the rare-blood reference data (see reference.h).
 *
 * The four files go through core/refdata's loader (header check, typed columns, references,
 * upsert), with two checks of our own hooked onto columns: rare-type phenotypes and antibody
 * lists must parse in healthybay's notation, and antigen codes must be ones the engine knows.
 * After loading, every antigen row is compared with the compiled-in table: the CSV documents the
 * antigens, the table defines the stored bit layout, and the two may never drift apart.
 */
#include "blood/reference.h"

#include <stdio.h>
#include <string.h>

#include "blood/phenotype.h"
#include "core/refdata.h"
#include "util/embedded.h"

extern const hb_embedded_file hb_data_blood[];
extern const size_t hb_data_blood_count;

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int check_phenotype(const char *v, size_t len)
{
    hb_blood_phenotype ph = { 0 };
    return hb_blood_phenotype_parse(&ph, v, len, false);
}

static int check_antigen_list(const char *v, size_t len)
{
    uint64_t mask;
    return hb_blood_antigen_list_parse(&mask, v, len);
}

static int check_antigen_code(const char *v, size_t len)
{
    if (hb_blood_antigen_find(v, len))
        return 0;
    return hb_error_set(HB_EINVAL,
                        "'%.*s' is not an antigen of src/blood/phenotype.c (add it there first)",
                        (int)len, v);
}

static const hb_refdata_column system_cols[] = {
    { "code", HB_REF_TEXT, NULL, NULL },
    { "number", HB_REF_INT, NULL, NULL },
    { "name", HB_REF_TEXT, NULL, NULL },
    { "genes", HB_REF_TEXT, NULL, NULL },
};

static const hb_refdata_column antigen_cols[] = {
    { "code", HB_REF_TEXT, NULL, check_antigen_code },
    { "system", HB_REF_REF, "hb_blood_systems", NULL },
    { "isbt_number", HB_REF_TEXT, NULL, NULL },
    { "isbt_name", HB_REF_TEXT, NULL, NULL },
    { "prevalence_percent", HB_REF_REAL, NULL, NULL },
    { "prevalence_population", HB_REF_OPT, NULL, NULL },
    { "prevalence_source", HB_REF_OPT, NULL, NULL },
    { "note", HB_REF_OPT, NULL, NULL },
};

static const hb_refdata_column rare_type_cols[] = {
    { "code", HB_REF_TEXT, NULL, NULL },
    { "name", HB_REF_TEXT, NULL, NULL },
    { "rhd", HB_REF_ENUM, "|neg", NULL },
    { "phenotype", HB_REF_OPT, NULL, check_phenotype },
    { "patient_needs", HB_REF_OPT, NULL, check_antigen_list },
    { "frequency", HB_REF_REAL, NULL, NULL },
    { "frequency_text", HB_REF_OPT, NULL, NULL },
    { "population", HB_REF_OPT, NULL, NULL },
    { "source", HB_REF_OPT, NULL, NULL },
    { "evidence", HB_REF_ENUM, "|abstract|secondary", NULL },
};

static const hb_refdata_column centre_cols[] = {
    { "code", HB_REF_TEXT, NULL, NULL },
    { "jurisdiction", HB_REF_REF, "hb_jurisdictions", NULL },
    { "region", HB_REF_REF, "hb_regions", NULL },
    { "name_en", HB_REF_TEXT, NULL, NULL },
    { "name_zh", HB_REF_TEXT, NULL, NULL },
    { "latitude", HB_REF_REAL, NULL, NULL },
    { "longitude", HB_REF_REAL, NULL, NULL },
};

/* In load order: antigens reference systems. */
static const hb_refdata_file blood_files[] = {
    { "systems.csv", "hb_blood_systems", system_cols, COUNT(system_cols), 1 },
    { "antigens.csv", "hb_blood_antigens", antigen_cols, COUNT(antigen_cols), 1 },
    { "rare_types.csv", "hb_blood_rare_types", rare_type_cols, COUNT(rare_type_cols), 1 },
    { "centres.csv", "hb_blood_centres", centre_cols, COUNT(centre_cols), 1 },
};

/* One antigen of the compiled-in table against its row; then record its bit. */
static int verify_antigen(hb_stmt *get, hb_stmt *set, const hb_blood_antigen *a)
{
    char number[7];
    hb_blood_antigen_isbt_number(number, a);
    int rc = hb_stmt_bind_cstr(get, 1, a->code);
    if (rc == 0 && (rc = hb_stmt_step(get)) != HB_STORE_ROW)
        return rc < 0 ? rc
                      : hb_error_set(HB_EINVAL, "data/blood/antigens.csv: antigen %s is missing",
                                     a->code);
    bool same = strcmp(hb_stmt_text(get, 0, NULL), a->system) == 0 &&
                strcmp(hb_stmt_text(get, 1, NULL), number) == 0;
    hb_stmt_reset(get);
    if (!same)
        return hb_error_set(HB_EINVAL,
                            "data/blood/antigens.csv: %s must be system %s, ISBT number %s "
                            "(src/blood/phenotype.c)",
                            a->code, a->system, number);
    if ((rc = hb_stmt_bind_int64(set, 1, a->bit)) == 0 &&
        (rc = hb_stmt_bind_cstr(set, 2, a->code)) == 0)
        rc = hb_stmt_step(set);
    hb_stmt_reset(set);
    return rc < 0 ? rc : 0;
}

int hb_blood_reference_verify(hb_store *store)
{
    size_t n;
    const hb_blood_antigen *table = hb_blood_antigens(&n);
    hb_stmt *get = NULL, *set = NULL, *count = NULL;
    int rc = hb_store_prepare(store, &get,
                              "SELECT system, isbt_number FROM hb_blood_antigens WHERE code = ?");
    if (rc == 0)
        rc = hb_store_prepare(store, &set, "UPDATE hb_blood_antigens SET bit = ? WHERE code = ?");
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = verify_antigen(get, set, &table[i]);
    if (rc == 0)
        rc = hb_store_prepare(store, &count, "SELECT count(*) FROM hb_blood_antigens");
    if (rc == 0 && (rc = hb_stmt_step(count)) == HB_STORE_ROW)
        rc = hb_stmt_int64(count, 0) == (int64_t)n
                 ? 0
                 : hb_error_set(HB_EINVAL, "data/blood/antigens.csv has antigens that "
                                           "src/blood/phenotype.c does not know");
    hb_stmt_finalize(get);
    hb_stmt_finalize(set);
    hb_stmt_finalize(count);
    return rc;
}

int hb_blood_reference_load(hb_store *store)
{
    for (size_t i = 0; i < COUNT(blood_files); i++) {
        const hb_embedded_file *f =
            hb_embedded_find(hb_data_blood, hb_data_blood_count, blood_files[i].file);
        if (!f)
            return hb_error_set(HB_ERROR, "data/blood/%s is missing from this build",
                                blood_files[i].file);
        char name[64];
        snprintf(name, sizeof name, "data/blood/%s", f->name);
        int rc = hb_refdata_load_file(store, &blood_files[i], name, f->data, f->size);
        if (rc < 0)
            return rc;
    }
    return hb_blood_reference_verify(store);
}

int hb_blood_centre_get(hb_store *store, hb_blood_centre *out, const char *code)
{
    hb_stmt *st;
    memset(out, 0, sizeof *out);
    int rc = hb_store_prepare(store, &st,
                              "SELECT jurisdiction, latitude, longitude FROM hb_blood_centres"
                              " WHERE code = ?");
    if (rc < 0)
        return rc;
    if ((rc = hb_stmt_bind_cstr(st, 1, code)) == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        snprintf(out->code, sizeof out->code, "%s", code);
        snprintf(out->jurisdiction, sizeof out->jurisdiction, "%s", hb_stmt_text(st, 0, NULL));
        out->latitude = hb_stmt_double(st, 1);
        out->longitude = hb_stmt_double(st, 2);
        rc = 0;
    } else if (rc == HB_STORE_DONE) {
        rc = hb_error_set(HB_ENOTFOUND,
                          "'%s' is not a blood centre (see 'healthybay blood centres')", code);
    }
    hb_stmt_finalize(st);
    return rc;
}

int hb_blood_antigens_table(hb_store *store, hb_table **out)
{
    static const char *const names[] = {
        "code", "system", "isbt_number", "isbt_name", "prevalence_percent", "prevalence_population",
        "note"
    };
    static const hb_col_kind kinds[] = { HB_COL_TEXT,   HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_NUMBER, HB_COL_TEXT, HB_COL_TEXT };
    return hb_store_query_table(store,
                                "SELECT code, system, isbt_number, isbt_name, prevalence_percent,"
                                " prevalence_population, note FROM hb_blood_antigens ORDER BY bit",
                                NULL, 0, COUNT(names), names, kinds, out);
}

int hb_blood_rare_types_table(hb_store *store, hb_table **out)
{
    static const char *const names[] = { "code",           "name",          "rhd",
                                         "phenotype",      "patient_needs", "frequency",
                                         "frequency_text", "population",    "source" };
    static const hb_col_kind kinds[] = { HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_TEXT, HB_COL_TEXT, HB_COL_NUMBER,
                                         HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT };
    return hb_store_query_table(store,
                                "SELECT code, name, rhd, phenotype, patient_needs, frequency,"
                                " frequency_text, population, source FROM hb_blood_rare_types"
                                " ORDER BY code",
                                NULL, 0, COUNT(names), names, kinds, out);
}

int hb_blood_centres_table(hb_store *store, hb_table **out)
{
    static const char *const names[] = { "code",    "jurisdiction", "region",   "name_en",
                                         "name_zh", "latitude",     "longitude" };
    static const hb_col_kind kinds[] = { HB_COL_TEXT, HB_COL_TEXT,   HB_COL_TEXT,  HB_COL_TEXT,
                                         HB_COL_TEXT, HB_COL_NUMBER, HB_COL_NUMBER };
    return hb_store_query_table(store,
                                "SELECT code, jurisdiction, region, name_en, name_zh, latitude,"
                                " longitude FROM hb_blood_centres ORDER BY jurisdiction, code",
                                NULL, 0, COUNT(names), names, kinds, out);
}
