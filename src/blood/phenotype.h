/*
 * blood/phenotype.h — the antigens healthybay types, and phenotypes written as text.
 *
 * The antigen table is the bit layout of every stored phenotype (the masks in hb_blood_donors and
 * hb_blood_units): a bit number, once given, is never changed or reused — append new antigens at
 * the end, like error codes. data/blood/antigens.csv carries the same antigens with their names,
 * prevalence and sources; the migration that loads it refuses a file that disagrees with this
 * table (code, system, ISBT number).
 *
 * Text notation (what blood centres write on labels and in their exports), tokens separated by
 * spaces or ';':
 *
 *     Jka-  Fya+  K-  Mia-  Vel-     one antigen and its state: + present (+w weak: present), -
 * absent C+c-E-e+  Jka-Jkb-           several in a row Jk(a-b-)  Fy(a+b-)  Mi(a-)   the traditional
 * paired form: "Jk" + "a" is Jka JK:-1,-2,3  GE:-2,-3         ISBT numeric: system symbol, then
 * antigen numbers (- = absent)
 *
 * The minus sign may be ASCII '-' or U+2212 '−'. Antigen codes are case-sensitive (c is not C,
 * k is not K). An antigen not written is unknown; there is no inference (Jk(a-b-) does not make
 * Jk3 absent): a blood centre types what it types. RhD is not part of the extended phenotype —
 * it has its own field — so D is refused here with that explanation.
 */
#ifndef HB_BLOOD_PHENOTYPE_H
#define HB_BLOOD_PHENOTYPE_H

#include <stddef.h>
#include <stdint.h>

#include "healthybay/blood.h"
#include "util/buf.h"

typedef struct hb_blood_antigen {
    unsigned bit;       /* position in the phenotype masks; never changes */
    const char *code;   /* traditional name as written in phenotypes: "Jka", "c", "Vel" */
    const char *system; /* ISBT system symbol: "JK" */
    unsigned system_number;
    unsigned number; /* antigen number within the system: JK1 = 1 */
} hb_blood_antigen;

/* The table, in bit order; *count gets its length. */
const hb_blood_antigen *hb_blood_antigens(size_t *count);
/* The antigen with this code ("Jka"), or NULL. */
const hb_blood_antigen *hb_blood_antigen_find(const char *code, size_t len);
/* ISBT six-digit number "009001" into out[7]. */
void hb_blood_antigen_isbt_number(char out[7], const hb_blood_antigen *a);

/*
 * Parse a phenotype written in the notation above; text[0..len) need not be NUL-terminated.
 * The states are ORed into *ph (so serology and genotype columns can be merged); with predicted,
 * they are also marked as predicted. HB_EINVAL with a message naming the token, on an unknown
 * antigen, a bad sign, or an antigen given twice or contradicting *ph.
 */
int hb_blood_phenotype_parse(hb_blood_phenotype *ph, const char *text, size_t len, bool predicted);

/* Which states to write. */
typedef enum hb_blood_states { HB_STATES_TYPED, HB_STATES_PREDICTED } hb_blood_states;

/* Append the typed (serology) or the predicted states as "C+ c- E- e+ K- Jka-" in table order. */
int hb_blood_phenotype_format(hb_buf *out, const hb_blood_phenotype *ph, hb_blood_states which);

/* Parse a list of antigens a patient must not receive: "Jka,Fya", "anti-Jka anti-Fya", "Jk3".
 * Separators: comma, space, ';'. HB_EINVAL names an unknown antigen. */
int hb_blood_antigen_list_parse(uint64_t *mask, const char *text, size_t len);
/* Append the antigens of mask as "Jka,Fya" (table order). */
int hb_blood_antigen_list_format(hb_buf *out, uint64_t mask);

/* "O", "A", "B", "AB" and "pos"/"neg" (also "+"/"-"), exactly. HB_EINVAL otherwise. */
int hb_blood_abo_parse(hb_blood_abo *out, const char *text, size_t len);
int hb_blood_rhd_parse(hb_blood_rhd *out, const char *text, size_t len);
const char *hb_blood_abo_name(hb_blood_abo abo);
const char *hb_blood_rhd_name(hb_blood_rhd rhd);

#endif
