/*
 * server/routes.h — the route table and the handlers it names (one h_<resource>.c file each).
 * How to add a route: see the comment at the top of routes.c.
 */
#ifndef HB_SERVER_ROUTES_H
#define HB_SERVER_ROUTES_H

#include "server/http.h"

/* The route table; *count gets its length. */
const hb_route *hb_routes(size_t *count);

/* The OpenAPI 3.1 document served at /api/v1/openapi.json (src/server/openapi.json, compiled
 * in). NUL-terminated; *len gets its length. */
const char *hb_openapi_document(size_t *len);

/* h_system.c */
int hb_h_healthz(hb_request *req, hb_response *res);
int hb_h_metrics(hb_request *req, hb_response *res);
int hb_h_openapi(hb_request *req, hb_response *res);
/* h_reference.c */
int hb_h_regions(hb_request *req, hb_response *res);
int hb_h_diseases(hb_request *req, hb_response *res);
int hb_h_holidays(hb_request *req, hb_response *res);
/* h_orgs.c */
int hb_h_org_list(hb_request *req, hb_response *res);
int hb_h_org_get(hb_request *req, hb_response *res);
int hb_h_org_create(hb_request *req, hb_response *res);
/* h_tokens.c */
int hb_h_token_list(hb_request *req, hb_response *res);
int hb_h_token_create(hb_request *req, hb_response *res);
int hb_h_token_revoke(hb_request *req, hb_response *res);
/* h_audit.c */
int hb_h_audit_list(hb_request *req, hb_response *res);
/* h_surveil.c */
int hb_h_counts_post(hb_request *req, hb_response *res);
int hb_h_overview(hb_request *req, hb_response *res);
int hb_h_series(hb_request *req, hb_response *res);
int hb_h_alert_list(hb_request *req, hb_response *res);
int hb_h_alert_get(hb_request *req, hb_response *res);
int hb_h_alert_act(hb_request *req, hb_response *res);
int hb_h_notice_list(hb_request *req, hb_response *res);
int hb_h_notice_get(hb_request *req, hb_response *res);
int hb_h_notice_ack(hb_request *req, hb_response *res);
int hb_h_bulletin_list(hb_request *req, hb_response *res);
int hb_h_bulletin_get(hb_request *req, hb_response *res);
/* h_registry.c */
int hb_h_registry_list(hb_request *req, hb_response *res);
int hb_h_registry_import(hb_request *req, hb_response *res);
int hb_h_registry_history(hb_request *req, hb_response *res);
int hb_h_registry_may_use(hb_request *req, hb_response *res);
int hb_h_registry_may_practise(hb_request *req, hb_response *res);
int hb_h_registry_expiring(hb_request *req, hb_response *res);
int hb_h_registry_usage(hb_request *req, hb_response *res);
int hb_h_registry_accreditations(hb_request *req, hb_response *res);
int hb_h_registry_fhir(hb_request *req, hb_response *res);
/* h_settle.c */
int hb_h_claim_submit(hb_request *req, hb_response *res);
int hb_h_claim_list(hb_request *req, hb_response *res);
int hb_h_claim_get(hb_request *req, hb_response *res);
int hb_h_claim_adjudicate(hb_request *req, hb_response *res);
int hb_h_claim_reverse(hb_request *req, hb_response *res);
int hb_h_voucher_get(hb_request *req, hb_response *res);
int hb_h_voucher_statement(hb_request *req, hb_response *res);
int hb_h_settlement_run(hb_request *req, hb_response *res);
int hb_h_settlement_get(hb_request *req, hb_response *res);
int hb_h_settlement_statement(hb_request *req, hb_response *res);
/* h_vaccine.c */
int hb_h_vaccine_import(hb_request *req, hb_response *res);
int hb_h_vaccine_status(hb_request *req, hb_response *res);
int hb_h_vaccine_coverage(hb_request *req, hb_response *res);
int hb_h_vaccine_certificate_issue(hb_request *req, hb_response *res);
int hb_h_vaccine_certificate_verify(hb_request *req, hb_response *res);

/* h_blood.c */
int hb_h_blood_donors_upload(hb_request *req, hb_response *res);
int hb_h_blood_donors_list(hb_request *req, hb_response *res);
int hb_h_blood_units_upload(hb_request *req, hb_response *res);
int hb_h_blood_units_list(hb_request *req, hb_response *res);
int hb_h_blood_search(hb_request *req, hb_response *res);
int hb_h_blood_request_list(hb_request *req, hb_response *res);
int hb_h_blood_request_create(hb_request *req, hb_response *res);
int hb_h_blood_request_get(hb_request *req, hb_response *res);
int hb_h_blood_request_events(hb_request *req, hb_response *res);
int hb_h_blood_request_step(hb_request *req, hb_response *res);

#endif
