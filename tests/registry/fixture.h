/*
 * tests/registry/fixture.h — a migrated database and a small, clearly synthetic registry data
 * set (every code starts with SYN- or syn-) shared by the registry tests.
 */
#ifndef HB_TESTS_REGISTRY_FIXTURE_H
#define HB_TESTS_REGISTRY_FIXTURE_H

#include "healthybay/date.h"
#include "registry/registry.h"

/* Callers: the Guangdong, Macao and Hong Kong authorities, the synthetic Hengqin clinic, the
 * public. */
extern const hb_registry_caller fx_gd, fx_mo, fx_hk, fx_hq_clinic, fx_gz_clinic, fx_public;

/* A fresh database with every migration applied. */
hb_store *fx_migrated(void);

/* Import text as kind; returns the import's code. When errors is not NULL it gets the error
 * lines (owned by the fixture, valid until the next call). */
int fx_import(hb_store *s, const hb_registry_caller *caller, const char *kind, const char *text,
              const char **errors);

/* Like fx_import, but the import must succeed. */
void fx_load(hb_store *s, const char *kind, const char *text);

/* The synthetic data set:
 *   institutions  syn-hq-clinic (Hengqin), syn-gz-clinic (Guangzhou, not designated),
 *                 syn-mo-hospital (Macao), syn-hk-clinic (Hong Kong)
 *   products      SYN-DRUG-1 (a drug, HK-registered), SYN-DEV-1 (a device, HA use)
 *   approvals     SYN-AP-1: SYN-DRUG-1 at gd-hku-szh 2024-01-01..2025-12-31, oncology;haematology
 *                 SYN-AP-2: SYN-DEV-1 at gd-hku-szh 2024-03-01..2024-12-31
 *   practitioners SYN-MO-1 Macao doctor, registered 2019-01-01, Hengqin permit SYN-HQ-1
 *                 2023-08-11..2026-08-10, practising at syn-hq-clinic on it and at
 *                 syn-mo-hospital at home (dual employment)
 *                 SYN-HK-1 Hong Kong doctor, registered 2010-01-01, short-term permit SYN-ST-1
 *                 2024-01-01..2026-12-31 at gd-hku-szh, senior title; suspended by HK
 *                 2025-03-01..2025-05-31
 *                 SYN-MO-2 Macao nurse registered 2022-06-01 (no permit)
 *   accreditations jci SYN-JCI-1 at gd-hku-szh 2023-01-01..2025-12-31 */
void fx_load_all(hb_store *s);

/* One value from a query (the first column of the first row); "" when there is no row. */
const char *fx_scalar(hb_store *s, const char *sql);

#endif
