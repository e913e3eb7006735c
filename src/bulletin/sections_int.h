/*
 * bulletin/sections_int.h — internal to bulletin/: the sections that show what the daily early
 * warning stored (warn/daily.h) — alerts, Rt, forecasts — as of the bulletin's date. Each reads
 * the database itself and adds its heading, a sentence and a table to doc; bulletin.c lists them
 * in its section order.
 */
#ifndef HB_BULLETIN_SECTIONS_INT_H
#define HB_BULLETIN_SECTIONS_INT_H

#include "bulletin/bulletin.h"

/* lang is the i18n index (bulletin/i18n.h) of req->lang. */
int hb_bulletin__alerts(hb_store *store, const hb_bulletin_request *req, int lang, hb_doc *doc);
int hb_bulletin__rt(hb_store *store, const hb_bulletin_request *req, int lang, hb_doc *doc);
int hb_bulletin__forecasts(hb_store *store, const hb_bulletin_request *req, int lang, hb_doc *doc);

#endif
