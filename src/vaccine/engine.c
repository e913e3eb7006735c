/*
 * vaccine/engine.c — the recognition engine: one pure function judges every jurisdiction's rules
 * (see hb_vaccine_evaluate in vaccine.h for the semantics), and its caller that loads the data.
 *
 * The answer carries its reasoning, one sentence per line, so an officer at a border crossing or
 * a clinic can tell a resident why a dose did not count.
 */
#include <stdio.h>
#include <string.h>

#include "healthybay/date.h"
#include "util/alloc.h"
#include "util/limits.h"
#include "vaccine/vaccine.h"

void hb_vaccine_status_dispose(hb_vaccine_status *status)
{
    hb_buf_dispose(&status->why);
}

static const hb_vaccine_rule *rule_for(const hb_vaccine_rule *rules, size_t n, const char *product)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rules[i].product, product) == 0)
            return &rules[i];
    return NULL;
}

/* Count doses: *complete gets the index of the completing dose (-1: none), *last the last
 * counted dose. */
static int count_doses(hb_vaccine_status *out, const hb_vaccine_rule *rules, size_t nrules,
                       const hb_vaccine_dose *doses, size_t ndoses, hb_date on, int *complete,
                       int *last)
{
    char day[HB_DATE_STRLEN];
    int rc = 0;
    *complete = -1;
    *last = -1;
    for (size_t i = 0; rc == 0 && i < ndoses; i++) {
        const hb_vaccine_dose *d = &doses[i];
        const hb_vaccine_rule *r = rule_for(rules, nrules, d->product);
        hb_date_format(day, d->date);
        if (d->date > on)
            continue; /* after the day asked: does not exist yet */
        if (!r) {
            rc = hb_buf_printf(&out->why,
                               "Dose of %s on %s (recorded %d of %d, %s) is not "
                               "recognised under %s.\n",
                               d->product, day, d->dose_number, d->series_doses, d->administered_in,
                               out->version);
            continue;
        }
        if (*last >= 0 && d->date - doses[*last].date < r->min_interval_days) {
            rc = hb_buf_printf(&out->why,
                               "Dose of %s on %s does not count: %d days after the "
                               "previous dose, %s requires at least %d.\n",
                               d->product, day, (int)(d->date - doses[*last].date), out->version,
                               r->min_interval_days);
            continue;
        }
        out->counted_doses++;
        *last = (int)i;
        if (*complete < 0 && out->counted_doses >= r->primary_doses) {
            *complete = (int)i;
            rc = hb_buf_printf(&out->why,
                               "Dose of %s on %s counts as dose %d: primary course "
                               "complete (%s needs %d).\n",
                               d->product, day, out->counted_doses, d->product, r->primary_doses);
        } else {
            rc = hb_buf_printf(&out->why, "Dose of %s on %s counts as %s %d%s.\n", d->product, day,
                               *complete >= 0 ? "booster" : "dose",
                               *complete >= 0 ? out->counted_doses - r->primary_doses
                                              : out->counted_doses,
                               *complete >= 0 ? "" : " of the primary course");
        }
    }
    return rc;
}

/* Full from completion + full_after_days, until the course's or the booster's validity ends. */
static int judge(hb_vaccine_status *out, const hb_vaccine_rule *rules, size_t nrules,
                 const hb_vaccine_dose *doses, int complete, int last, hb_date on)
{
    char a[HB_DATE_STRLEN], b[HB_DATE_STRLEN];
    const hb_vaccine_rule *r = rule_for(rules, nrules, doses[complete].product);
    out->course_complete = true;
    out->completed_on = doses[complete].date;
    out->full_from = out->completed_on + r->full_after_days;
    bool boosted = last > complete;
    const hb_vaccine_rule *lr = rule_for(rules, nrules, doses[last].product);
    int validity = boosted ? lr->booster_validity_days : r->validity_days;
    hb_date base = boosted ? doses[last].date : out->completed_on;
    out->valid_until = validity >= 0 ? base + validity : 0;
    if (on < out->full_from)
        return hb_buf_printf(&out->why,
                             "Not yet fully vaccinated: %s counts from %s (%d days "
                             "after completing the primary course).\n",
                             out->version, hb_date_format(a, out->full_from), r->full_after_days);
    if (out->valid_until && on > out->valid_until)
        return hb_buf_printf(&out->why,
                             "No longer fully vaccinated: the %s was valid until %s "
                             "under %s; a booster renews it.\n",
                             boosted ? "booster" : "primary course",
                             hb_date_format(a, out->valid_until), out->version);
    out->full = true;
    if (out->valid_until)
        return hb_buf_printf(&out->why, "Fully vaccinated from %s until %s.\n",
                             hb_date_format(a, out->full_from),
                             hb_date_format(b, out->valid_until));
    return hb_buf_printf(&out->why, "Fully vaccinated from %s (no expiry under %s).\n",
                         hb_date_format(a, out->full_from), out->version);
}

int hb_vaccine_evaluate(hb_vaccine_status *out, const hb_vaccine_rule *rules, size_t nrules,
                        const hb_vaccine_dose *doses, size_t ndoses, hb_date on)
{
    memset(out, 0, sizeof *out);
    hb_buf_init(&out->why, 64 * 1024);
    if (nrules == 0)
        return hb_buf_puts(&out->why, "No recognition rules in force on that date: not fully "
                                      "vaccinated.\n");
    snprintf(out->version, sizeof out->version, "%s", rules[0].version);
    for (size_t i = 1; i < nrules; i++)
        if (strcmp(rules[i].version, rules[0].version) != 0)
            return hb_error_set(HB_EINVAL, "rules of more than one version given");
    for (size_t i = 1; i < ndoses; i++)
        if (doses[i].date < doses[i - 1].date)
            return hb_error_set(HB_EINVAL, "doses must be in date order");
    int complete, last;
    int rc = count_doses(out, rules, nrules, doses, ndoses, on, &complete, &last);
    if (rc < 0)
        return rc;
    if (complete < 0)
        return hb_buf_printf(&out->why,
                             "Not fully vaccinated: %d recognised dose%s, primary "
                             "course incomplete under %s.\n",
                             out->counted_doses, out->counted_doses == 1 ? "" : "s", out->version);
    return judge(out, rules, nrules, doses, complete, last, on);
}

int hb_vaccine_status_of(hb_store *store, const char *person, const char *jurisdiction, hb_date on,
                         hb_vaccine_status *out)
{
    hb_vaccine_dose *doses = NULL;
    hb_vaccine_rule *rules = NULL;
    size_t ndoses = 0, nrules = 0;
    memset(out, 0, sizeof *out);
    if (strcmp(jurisdiction, "GD") && strcmp(jurisdiction, "HK") && strcmp(jurisdiction, "MO"))
        return hb_error_set(HB_EINVAL, "under: '%s' is not GD, HK or MO", jurisdiction);
    int rc = hb_vaccine_doses_of(store, person, &doses, &ndoses);
    if (rc == 0 && ndoses == 0)
        rc = hb_error_set(HB_ENOTFOUND, "person: no doses recorded for '%s'", person);
    if (rc == 0)
        rc = hb_vaccine_rules_in_force(store, jurisdiction, on, &rules, &nrules);
    if (rc == 0)
        rc = hb_vaccine_evaluate(out, rules, nrules, doses, ndoses, on);
    hb_free(doses);
    hb_free(rules);
    return rc;
}

static json_t *date_or_null(bool set, hb_date d)
{
    char text[HB_DATE_STRLEN];
    return set ? json_string(hb_date_format(text, d)) : json_null();
}

json_t *hb_vaccine_status_json(const hb_vaccine_status *st, const char *person, const char *under,
                               hb_date on)
{
    char day[HB_DATE_STRLEN];
    json_t *why = json_array();
    const char *p = hb_buf_cstr(&st->why);
    for (const char *nl; why && (nl = strchr(p, '\n')); p = nl + 1)
        json_array_append_new(why, json_stringn(p, (size_t)(nl - p)));
    return json_pack("{s:s, s:s, s:s, s:b, s:b, s:o, s:o, s:o, s:i, s:s, s:o}", "person", person,
                     "under", under, "on", hb_date_format(day, on), "full", st->full,
                     "course_complete", st->course_complete, "completed_on",
                     date_or_null(st->course_complete, st->completed_on), "full_from",
                     date_or_null(st->course_complete, st->full_from), "valid_until",
                     date_or_null(st->valid_until != 0, st->valid_until), "counted_doses",
                     st->counted_doses, "rules_version", st->version, "why", why);
}
