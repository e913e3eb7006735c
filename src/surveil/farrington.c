/*
 * surveil/farrington.c — Farrington (1996; surveillance::farrington) and Farrington flexible
 * (Noufaily et al. 2013; surveillance::farringtonFlexible), step for step as R 1.20.3 computes
 * them for date-indexed series.
 *
 * For each time point t0 (index k):
 *
 *  1. Reference data. Flexible: the dates 0..b years before t0 (for weekly data the same weekday
 *     nearest to that date) must all exist; the windows of +-w periods around them (and the current
 *     window) are level noPeriods of a factor; with noPeriods > 1 the stretches between windows are
 *     split into noPeriods - 1 blocks of nearly equal length, levels 1..noPeriods-1; the last
 *     pastWeeksNotIncluded + 1 periods up to t0 are dropped. Classic: the +-w windows around the
 *     dates 1..b years back, whichever exist.
 *     R builds the factor with `x[a:b] <- v`, and `a:b` counts down when b < a, index 0 is ignored
 *     and negative indices are an error: assign_range() reproduces exactly that.
 *  2. Quasi-Poisson GLM (log link), y ~ 1 [+ wtime] [+ offset(log(population))] [+ seasgroups],
 *     fitted by surveil/glm.c as glm.fit does; without convergence, again without the trend;
 *     flexible gives up (NA) if that fails too. phi = max(1, dispersion).
 *  3. Reweighting: Anscombe residuals s_i = 3/2 (y^2/3 mu^-1/6 - mu^1/2) / sqrt(phi (1 - h_ii)),
 *     weights gamma s^-2 above the threshold (flexible: weightsThreshold; classic: 1), gamma
 *     making them sum to n; refit; phi again.
 *  4. Trend: kept only if its t-test p-value < pThresholdTrend (classic: 0.05), b >= 3 and the
 *     prediction at t0 does not exceed the largest reference count; otherwise refit without it.
 *  5. Threshold at t0: "delta" (power-transformed normal, z = qnorm(1 - alpha), classic
 *     qnorm(1 - alpha/2)), or the negative binomial quantile of mean mu (nbPlugin: exp(eta0);
 *     muan: exp of eta0's upper 1 - alpha bound) and variance phi mu.
 *  6. Alarm when the score (y - mu0) / (U - mu0) > 1 (flexible: and y > 0), but only when the
 *     last limit54[2] periods hold at least limit54[1] cases; otherwise no alarm and (flexible) NA.
 *
 * Two R quirks that matter for parity are kept: after reweighting, farringtonFlexible replaces the
 * model's working weights by the prior weights, so the dispersion behind the trend test and the
 * prediction's standard error is sum(omega r^2) / df, not phi; and nbPlugin's score uses the
 * prediction on the log scale. One is not: when no model converges R leaves `expected` at 0; we
 * report NA.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#define MATHLIB_STANDALONE
#include <Rmath.h>

#include "healthybay/date.h"
#include "surveil/surveil_int.h"
#include "util/limits.h"

#define NO_LEVEL ((int16_t)-1)

/* The GLM data of one time point, in the work's arrays y, trend, offset, group. */
typedef struct point_data {
    size_t n, ngroups;
    uint32_t pred_group;
    double pred_trend, pred_offset, ymax;
    bool has_offset;
} point_data;

/* What R's fitFun leaves behind (the fit itself stays in work->glm). */
typedef struct fit_state {
    bool has_trend;
    double phi;     /* max(1, dispersion): the threshold's overdispersion */
    double disp_se; /* the dispersion summary.glm / predict.glm will use later */
} fit_state;

static double linkinv(double eta)
{
    double mu = exp(eta);
    return mu > DBL_EPSILON ? mu : DBL_EPSILON;
}

/* ---- dates as R's seq.Date and format("%w") see them ---------------------------------------- */

static int wday(hb_date d)
{
    return hb_date_weekday(d) % 7; /* %w: Sunday = 0 */
}

/* The civil date y-m-d, letting an overflowing day run into the next month as POSIXlt does
 * (2013-02-29 is 2013-03-01). false when the year leaves 1..9999. */
static bool ymd_rolled(hb_date *out, int y, int m, int d)
{
    while (m < 1) {
        m += 12;
        y--;
    }
    while (m > 12) {
        m -= 12;
        y++;
    }
    if (y < 1 || y > 9999)
        return false;
    *out = hb_date_from_ymd(y, m, 1) + (d - 1);
    return true;
}

/* seq(date, by = "-1 year")[years + 1] and seq(date, by = "1 month")[months + 1]. */
static bool add_years_months(hb_date *out, hb_date date, int years, int months)
{
    int y, m, d;
    hb_date_to_ymd(date, &y, &m, &d);
    return ymd_rolled(out, y + years, m + months, d);
}

/* Index of date in the series, or -1. */
static long find_date(const hb_surveil_series *s, hb_date date)
{
    size_t lo = 0, hi = s->length;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->dates[mid] < date)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->length && s->dates[lo] == date ? (long)lo : -1;
}

/* algo.farrington.referencetimepoints: t0 and the same date 1..b years back, for weekly data
 * moved to the nearest day with t0's weekday. false when one is not in the series. */
static bool reference_points(long *ref, const hb_surveil_series *s, int b, size_t k)
{
    hb_date t0 = s->dates[k];
    for (int i = 0; i <= b; i++) {
        hb_date r;
        if (!add_years_months(&r, t0, -i, 0))
            return false;
        if (s->freq == 52) {
            hb_date a = r - (wday(r) - wday(t0));
            hb_date bb = a + (a > r ? -7 : 7);
            r = labs((long)a - r) > labs((long)bb - r) ? bb : a;
        }
        if ((ref[i] = find_date(s, r)) < 0)
            return false;
    }
    return true;
}

/* ---- flexible: the factor of algo.farrington.blocks ----------------------------------------- */

/* R's `f[lo:hi] <- v` on 0-based indices (R's index = ours + 1): either direction, R's index 0
 * ignored; false where R stops (a negative index) or the range passes t0. */
static bool assign_range(int16_t *f, long lo, long hi, int16_t v, long k)
{
    long a = lo < hi ? lo : hi, b = lo < hi ? hi : lo;
    if (a < -1 || b > k)
        return false;
    for (long i = a < 0 ? 0 : a; i <= b; i++)
        f[i] = v;
    return true;
}

static long floor_div(long a, long b)
{
    long q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* The blocks between the window around ref[i] and the next one, levels 1..P-1. */
static bool split_gap(int16_t *f, const long *ref, int i, long w, long P, long k)
{
    long rw = ref[i], period = ref[i - 1] - 2 * w - 1 - rw;
    if (period < P - (2 * w + 1))
        return false; /* R: "Number of factors too big!" */
    long len = floor_div(period, P - 1), rest = period - len * (P - 1), cum = 0;
    for (long j = 1; j < P; j++) {
        long lj = len + (j <= rest), lo = rw + w + 1 + cum;
        if (!assign_range(f, lo, lo + lj - 1, (int16_t)j, k))
            return false;
        cum += lj;
    }
    return true;
}

static bool flexible_factor(int16_t *f, const long *ref, const hb_surveil_params *p, long k)
{
    long w = p->w, P = p->no_periods;
    long pwni = p->past_weeks_not_included < 0 ? w : p->past_weeks_not_included;
    for (long i = 0; i <= k; i++)
        f[i] = NO_LEVEL;
    if (!assign_range(f, k - w, k, (int16_t)P, k))
        return false;
    for (int i = 1; i <= p->b; i++) {
        if (!assign_range(f, ref[i] - w, ref[i] + w, (int16_t)P, k))
            return false;
        if (P != 1 && !split_gap(f, ref, i, w, P, k))
            return false;
    }
    return assign_range(f, k - pwni, k, NO_LEVEL, k);
}

/* Observation i of the GLM data is the count y (and the functions of it the fits need). */
static void put_count(hb_surveil_work *wk, size_t i, double y)
{
    wk->y[i] = y;
    hb_surveil__count_lookup(wk, y, &wk->ylogy[i], &wk->eta0[i], &wk->mu0start[i], &wk->y23[i]);
}

/* algo.farrington.data.glm: the observations with a level; false for NA. */
static bool flexible_data(point_data *d, hb_surveil_work *wk, const hb_surveil_series *s,
                          const hb_surveil_params *p, size_t k)
{
    long ref[HB_SURVEIL_YEARS_MAX + 1];
    int16_t *f = wk->factor;
    if (!reference_points(ref, s, p->b, k) || !flexible_factor(f, ref, p, (long)k))
        return false;
    uint32_t map[HB_SURVEIL_PERIODS_MAX + 1] = { 0 };
    bool present[HB_SURVEIL_PERIODS_MAX + 1] = { false };
    for (size_t i = 0; i <= k; i++)
        if (f[i] != NO_LEVEL)
            present[f[i]] = true;
    d->ngroups = 0;
    for (int lv = 1; lv <= p->no_periods; lv++)
        if (present[lv])
            map[lv] = (uint32_t)d->ngroups++;
    /* R: a factor needs two levels, and t0's level must be among them. */
    if (p->no_periods > 1 && (d->ngroups < 2 || !present[p->no_periods]))
        return false;
    double step = (double)(s->dates[1] - s->dates[0]);
    long first = -1;
    d->n = 0;
    d->ymax = 0;
    d->has_offset = p->population_offset;
    for (size_t i = 0; i <= k; i++) {
        if (f[i] == NO_LEVEL)
            continue;
        first = first < 0 ? (long)i : first;
        put_count(wk, d->n, s->counts[i]);
        wk->trend[d->n] = (double)(s->dates[i] - s->dates[first]) / step;
        wk->group[d->n] = p->no_periods > 1 ? map[f[i]] : 0;
        wk->offset[d->n] = d->has_offset ? log(s->population[i]) : 0;
        d->ymax = s->counts[i] > d->ymax ? s->counts[i] : d->ymax;
        d->n++;
    }
    if (d->n == 0)
        return false;
    d->ngroups = p->no_periods > 1 ? d->ngroups : 1;
    d->pred_group = p->no_periods > 1 ? map[p->no_periods] : 0;
    d->pred_trend = (double)(s->dates[k] - s->dates[first]) / step;
    d->pred_offset = d->has_offset ? log(s->population[k]) : 0;
    return true;
}

/* ---- classic: refvalIdxByDate --------------------------------------------------------------- */

/* The date l periods after r, moved as refvalIdxByDate moves it towards t0's weekday or day. */
static bool classic_day(hb_date *out, const hb_surveil_series *s, hb_date r, int l, hb_date t0)
{
    hb_date d = r;
    if (s->freq == 52) {
        d = r + 7 * l;
        int fwd = ((wday(t0) - wday(d)) % 7 + 7) % 7, back = ((wday(d) - wday(t0)) % 7 + 7) % 7;
        d += fwd < back ? fwd : -back;
    } else if (s->freq == 365) {
        d = r + l;
    } else {
        int y, m, dd, y0, m0, d0;
        if (!add_years_months(&d, r, 0, l))
            return false;
        hb_date_to_ymd(d, &y, &m, &dd);
        hb_date_to_ymd(t0, &y0, &m0, &d0);
        d -= dd - d0;
    }
    *out = d;
    return true;
}

static bool classic_data(point_data *d, hb_surveil_work *wk, const hb_surveil_series *s,
                         const hb_surveil_params *p, size_t k)
{
    hb_date t0 = s->dates[k];
    d->n = 0;
    d->ymax = 0;
    for (int j = 1; j <= p->b; j++) {
        hb_date r, day;
        if (!add_years_months(&r, t0, -j, 0))
            continue;
        for (int l = -p->w; l <= p->w; l++) {
            long idx = classic_day(&day, s, r, l, t0) ? find_date(s, day) : -1;
            if (idx < 0)
                continue;
            put_count(wk, d->n, s->counts[idx]);
            wk->trend[d->n] = (double)idx + 1; /* R's wtime: the 1-based index */
            wk->group[d->n] = 0;
            d->ymax = s->counts[idx] > d->ymax ? s->counts[idx] : d->ymax;
            d->n++;
        }
    }
    d->ngroups = 1;
    d->pred_group = 0;
    d->pred_trend = (double)k + 1;
    d->pred_offset = 0;
    d->has_offset = false;
    return d->n > 0;
}

/* ---- the fit -------------------------------------------------------------------------------- */

static double phi_of(double dispersion)
{
    return isnan(dispersion) ? NAN : (dispersion > 1 ? dispersion : 1);
}

/* Anscombe residuals and algo.farrington.assign.weights into work->omega. */
static bool reweights(hb_surveil_work *wk, size_t n, double phi, double threshold)
{
    const hb_glm_result *r = hb_glm_last(wk->glm);
    hb_glm_hat(wk->glm, wk->hat);
    hb_glm_mu_pow(wk->glm, -1.0 / 6.0, wk->omega); /* mu^(-1/6), until omega is computed */
    double denom = 0;
    for (size_t i = 0; i < n; i++) {
        double mu = r->mu[i];
        double a = 1.5 * (wk->y23[i] * wk->omega[i] - sqrt(mu));
        double si = a / sqrt(phi * (1 - wk->hat[i]));
        wk->omega[i] = si; /* s, until turned into a weight below */
        denom += si > threshold ? 1 / (si * si) : 1;
    }
    double gamma = (double)n / denom;
    for (size_t i = 0; i < n; i++) {
        double si = wk->omega[i];
        wk->omega[i] = si > threshold ? gamma / (si * si) : gamma;
        if (isnan(si) || !isfinite(wk->omega[i]))
            return false;
    }
    return true;
}

/* algo.farrington.fitGLM.flexible / .fast; false where R returns NULL or stops. */
static bool fit_fun(fit_state *st, hb_surveil_work *wk, const point_data *d,
                    const hb_surveil_params *p, bool trend, bool flexible)
{
    hb_glm_spec spec = {
        .family = HB_GLM_QUASIPOISSON,
        .n = d->n,
        .y = wk->y,
        .etastart = wk->eta0, /* log(mustart): glm.fit's own start, from the table */
        .start_mu = wk->mu0start,
        .ylogy = wk->ylogy,
        .offset = d->has_offset ? wk->offset : NULL,
        .group = d->ngroups > 1 ? wk->group : NULL,
        .ngroups = d->ngroups,
        .trend = trend ? wk->trend : NULL,
    };
    hb_glm_result r;
    if (hb_glm_fit(wk->glm, &spec, &r) < 0)
        return false;
    if (!r.converged && spec.trend) {
        spec.trend = NULL;
        if (hb_glm_fit(wk->glm, &spec, &r) < 0)
            return false;
    }
    if (!r.converged && flexible)
        return false;
    st->disp_se = hb_glm_dispersion(wk->glm, NULL);
    st->phi = phi_of(st->disp_se);
    if (p->reweight) {
        if (!reweights(wk, d->n, st->phi, flexible ? p->weights_threshold : 1.0))
            return false;
        spec.weights = wk->omega;
        if (hb_glm_fit(wk->glm, &spec, &r) < 0)
            return false;
        st->disp_se = hb_glm_dispersion(wk->glm, NULL);
        st->phi = phi_of(st->disp_se);
        if (flexible) /* R replaced model$weights by omega */
            st->disp_se = hb_glm_dispersion(wk->glm, wk->omega);
    }
    st->has_trend = spec.trend != NULL;
    return !isnan(st->phi);
}

/* The p-value of wtime in summary.glm with the given dispersion. */
static double trend_pvalue(const hb_surveil_work *wk, const point_data *d, double dispersion)
{
    const hb_glm_result *r = hb_glm_last(wk->glm);
    double se = sqrt(dispersion * hb_glm_coef_var(wk->glm, d->ngroups));
    double t = r->coef[d->ngroups] / se;
    return 2 * pt(-fabs(t), (double)r->df_residual, 1, 0);
}

/* Step 4; false where R stops (a missing p-value that decides). */
static bool decide_trend(fit_state *st, hb_surveil_work *wk, const point_data *d,
                         const hb_surveil_params *p, bool flexible)
{
    if (!st->has_trend)
        return true;
    hb_glm_row row = { .group = d->pred_group, .trend = d->pred_trend };
    double eta0;
    hb_glm_predict(wk->glm, &row, &eta0);
    bool no_extrapolation = linkinv(eta0 + d->pred_offset) <= d->ymax;
    double pval = trend_pvalue(wk, d, st->disp_se);
    double limit = flexible ? p->p_threshold_trend : 0.05;
    bool keep = false;
    if (p->b >= 3) {
        if (isnan(pval) && no_extrapolation)
            return false;
        keep = !isnan(pval) && pval < limit && no_extrapolation;
    }
    return keep || fit_fun(st, wk, d, p, false, flexible);
}

/* ---- thresholds ----------------------------------------------------------------------------- */

typedef struct bound {
    double upper, score, pvalue, expected;
} bound;

/* algo.farrington.threshold(.farrington): the power-transformed normal bound. */
static bound delta_bound(double mu0, double se, double phi, const hb_surveil_params *p, double z,
                         double y, bool classic)
{
    double tau = phi + se * se / mu0, sd, e;
    switch (p->powertrans) {
    case HB_SURVEIL_POWER_NONE:
        sd = sqrt(mu0 * tau);
        e = 1;
        break;
    case HB_SURVEIL_POWER_HALF:
        sd = sqrt(1.0 / 4.0 * tau);
        e = 1.0 / 2.0;
        break;
    default:
        sd = sqrt(4.0 / 9.0 * pow(mu0, 1.0 / 3.0) * tau);
        e = 2.0 / 3.0;
        break;
    }
    double lo = pow(pow(mu0, e) - z * sd, 1 / e), hi = pow(pow(mu0, e) + z * sd, 1 / e);
    /* sort(c(lo, hi), na.last = FALSE)[2] */
    double upper = isnan(lo) ? hi : isnan(hi) ? lo : (lo > hi ? lo : hi);
    bound b = { .upper = upper };
    b.score = isnan(upper) ? NAN : (y - mu0) / (upper - mu0);
    if (classic)
        b.expected = pow(qnorm(0.5, pow(mu0, e), sd, 1, 0), 1 / e);
    else
        b.pvalue = pnorm(pow(y, e), pow(mu0, e), sd, 0, 0);
    return b;
}

/* algo.farrington.threshold.noufaily (nbPlugin, muan); false where R stops. */
static bool nb_bound(bound *b, double eta0, double se, double phi, const hb_surveil_params *p,
                     double y)
{
    double alpha = p->alpha;
    double mu = p->threshold_method == HB_SURVEIL_THRESHOLD_NBPLUGIN
                    ? exp(eta0)
                    : exp(qnorm(1 - alpha, eta0, se, 1, 0));
    if (isnan(mu))
        return false;
    b->upper = b->pvalue = NAN;
    if (!isinf(mu)) {
        double size = mu / (phi - 1), prob = 1 / phi;
        b->upper = phi > 1 ? qnbinom(1 - alpha, size, prob, 1, 0) : qpois(1 - alpha, mu, 1, 0);
        b->pvalue = phi != 1 ? pnbinom(y - 1, size, prob, 0, 0) : ppois(y - 1, mu, 0, 0);
    }
    b->score = isnan(b->upper) ? NAN : (y - eta0) / (b->upper - eta0);
    return true;
}

/* R's sum(observed[(k - limit54[2] + 1):k]) >= limit54[1]; -1 where R stops. */
static int enough_cases(const hb_surveil_series *s, const hb_surveil_params *p, size_t k)
{
    long lo = (long)k - p->limit54_periods + 1;
    if (lo < -1)
        return -1;
    double sum = 0;
    for (long i = lo < 0 ? 0 : lo; i <= (long)k; i++)
        sum += s->counts[i];
    return sum >= p->limit54_cases;
}

/* ---- one time point ------------------------------------------------------------------------- */

static void flexible_point(const hb_surveil_result *out, size_t i, hb_surveil_work *wk,
                           const hb_surveil_series *s, const hb_surveil_params *p, size_t k)
{
    point_data d;
    fit_state st;
    int enough = enough_cases(s, p, k);
    if (enough < 0 || !flexible_data(&d, wk, s, p, k) || !fit_fun(&st, wk, &d, p, p->trend, true) ||
        !decide_trend(&st, wk, &d, p, true)) {
        hb_surveil__set_na(out, i);
        return;
    }
    hb_glm_row row = { .group = d.pred_group, .trend = d.pred_trend };
    double eta0, var0 = hb_glm_predict(wk->glm, &row, &eta0);
    eta0 += d.pred_offset;
    double se = sqrt(st.disp_se * var0), y = s->counts[k], expected;
    bound b;
    if (p->threshold_method == HB_SURVEIL_THRESHOLD_DELTA) {
        double mu0 = linkinv(eta0);
        b = delta_bound(mu0, se * mu0, st.phi, p, qnorm(1 - p->alpha, 0, 1, 1, 0), y, false);
        expected = mu0;
    } else {
        if (!nb_bound(&b, eta0, se, st.phi, p, y)) {
            hb_surveil__set_na(out, i);
            return;
        }
        expected = exp(eta0);
    }
    out->alarm[i] = enough && !isnan(b.score) && b.score > 1 && y != 0;
    out->upperbound[i] = enough ? b.upper : NAN;
    out->expected[i] = enough && !isnan(b.upper) ? expected : NAN;
    if (out->pvalue)
        out->pvalue[i] = b.pvalue;
}

static void classic_point(const hb_surveil_result *out, size_t i, hb_surveil_work *wk,
                          const hb_surveil_series *s, const hb_surveil_params *p, size_t k)
{
    point_data d;
    fit_state st;
    int enough = enough_cases(s, p, k);
    if (enough < 0 || !classic_data(&d, wk, s, p, k) || !fit_fun(&st, wk, &d, p, p->trend, false) ||
        !decide_trend(&st, wk, &d, p, false)) {
        hb_surveil__set_na(out, i);
        return;
    }
    hb_glm_row row = { .group = 0, .trend = d.pred_trend };
    double eta0, var0 = hb_glm_predict(wk->glm, &row, &eta0);
    double mu0 = linkinv(eta0), se = sqrt(st.phi * var0) * mu0, y = s->counts[k];
    bound b = delta_bound(mu0, se, st.phi, p, qnorm(1 - p->alpha / 2, 0, 1, 1, 0), y, true);
    double x = enough ? (y - mu0) / (b.upper - mu0) : 0;
    out->alarm[i] = isnan(x) ? -1 : x > 1;
    out->upperbound[i] = enough ? b.upper : 0;
    out->expected[i] = b.expected;
    if (out->pvalue)
        out->pvalue[i] = NAN;
}

int hb_surveil__farrington(const hb_surveil_result *out, hb_surveil_work *work,
                           const hb_surveil_series *s, const hb_surveil_params *p, size_t from,
                           size_t to)
{
    for (size_t k = from; k < to; k++) {
        if (s->length < 2) {
            hb_surveil__set_na(out, k - from);
            continue;
        }
        if (p->method == HB_SURVEIL_FARRINGTON_FLEXIBLE)
            flexible_point(out, k - from, work, s, p, k);
        else
            classic_point(out, k - from, work, s, p, k);
    }
    return 0;
}
