/*
 * blood/reference.h — the rare-blood reference data: ISBT systems and antigens, rare types with
 * their frequencies and sources, blood centres (the CSV files in data/blood/, compiled in, loaded
 * by a migration through core/refdata's generic loader).
 */
#ifndef HB_BLOOD_REFERENCE_H
#define HB_BLOOD_REFERENCE_H

#include "store/store.h"
#include "util/table.h"

/* The migration: load the files of data/blood/, then check the antigens against the compiled-in
 * table (blood/phenotype.h) — same codes, systems and ISBT numbers, nothing missing or extra — and
 * record each antigen's bit. Runs inside the migration's transaction. */
int hb_blood_reference_load(hb_store *store);
/* The check part alone: HB_EINVAL naming the first antigen that disagrees. */
int hb_blood_reference_verify(hb_store *store);

/* A blood centre: the organisations that own donors and units. */
typedef struct hb_blood_centre {
    char code[65];
    char jurisdiction[3];
    double latitude, longitude;
} hb_blood_centre;

/* HB_ENOTFOUND (message says so) when code is not a blood centre. */
int hb_blood_centre_get(hb_store *store, hb_blood_centre *out, const char *code);

/* Listings for `healthybay blood antigens | rare-types | centres`. */
int hb_blood_antigens_table(hb_store *store, hb_table **out);
int hb_blood_rare_types_table(hb_store *store, hb_table **out);
int hb_blood_centres_table(hb_store *store, hb_table **out);

#endif
