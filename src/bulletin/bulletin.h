/*
 * bulletin/bulletin.h — the daily and weekly epidemic bulletins of the joint prevention and
 * control mechanism, for one jurisdiction (GD, HK, MO) or the whole Greater Bay Area (GBA), in
 * en, zh-Hans, zh-Hant or pt, as JSON, HTML or PDF.
 *
 * A bulletin is built from what is in the database on its date: the situation in a few
 * sentences, then one section per subject — reported counts by disease with their trend, and the
 * sections other modules contribute (alerts, Rt, forecasts, vaccination) as they add them to the
 * section list in bulletin.c. Hong Kong CHP's weekly Flu Express is the yardstick.
 */
#ifndef HB_BULLETIN_BULLETIN_H
#define HB_BULLETIN_BULLETIN_H

#include "bulletin/doc.h"
#include "healthybay/common.h"
#include "store/store.h"

typedef enum hb_edition { HB_EDITION_DAILY, HB_EDITION_WEEKLY } hb_edition;

typedef struct hb_bulletin_request {
    hb_date date;             /* data up to and including this day */
    const char *jurisdiction; /* GD, HK, MO or GBA */
    const char *lang;         /* en, zh-Hans, zh-Hant, pt */
    hb_edition edition;
} hb_bulletin_request;

/* Check a request's fields; HB_EINVAL naming the bad one. */
int hb_bulletin_check(const hb_bulletin_request *req);

/* Build the bulletin as a document (caller frees with hb_doc_free). */
int hb_bulletin_build(hb_store *store, const hb_bulletin_request *req, hb_doc **out);

#endif
