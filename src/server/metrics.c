/*
 * server/metrics.c — request counters and latency histograms (see metrics.h).
 */
#include "server/metrics.h"

#include <stdatomic.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"

/* Statuses we count individually; anything else is counted as "other". */
static const unsigned statuses[] = { 200, 201, 204, 400, 401, 403, 404,
                                     405, 409, 413, 415, 422, 500, 503 };
#define NSTATUS (sizeof statuses / sizeof statuses[0] + 1)

/* Latency bucket bounds in seconds: our requests take 0.1–10 ms; the upper buckets catch a
 * database that is struggling. */
static const double bounds[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                 0.05,   0.1,   0.25,   0.5,   1,    2.5 };
#define NBUCKETS (sizeof bounds / sizeof bounds[0] + 1) /* the last is +Inf */

typedef struct route_stats {
    _Atomic uint64_t by_status[NSTATUS];
    _Atomic uint64_t buckets[NBUCKETS]; /* not cumulative; summed when rendered */
    _Atomic uint64_t sum_ns;
} route_stats;

struct hb_metrics {
    const hb_route *routes;
    size_t nroutes;
    route_stats *stats; /* nroutes + 1: the last is "no route" */
    _Atomic int64_t in_flight;
    _Atomic uint64_t events[HB_METRIC_EVENT_COUNT];
};

int hb_metrics_new(hb_metrics **out, const hb_route *routes, size_t count)
{
    hb_metrics *m = hb_calloc(1, sizeof *m);
    if (!m)
        return HB_ENOMEM;
    m->stats = hb_calloc(count + 1, sizeof *m->stats);
    if (!m->stats) {
        hb_free(m);
        return HB_ENOMEM;
    }
    m->routes = routes;
    m->nroutes = count;
    *out = m;
    return 0;
}

void hb_metrics_free(hb_metrics *m)
{
    if (!m)
        return;
    hb_free(m->stats);
    hb_free(m);
}

void hb_metrics_observe(hb_metrics *m, const hb_route *route, unsigned status, uint64_t duration_ns)
{
    size_t r = route ? (size_t)(route - m->routes) : m->nroutes;
    size_t s = 0;
    while (s < NSTATUS - 1 && statuses[s] != status)
        s++;
    double seconds = (double)duration_ns / 1e9;
    size_t b = 0;
    while (b < NBUCKETS - 1 && seconds > bounds[b])
        b++;
    route_stats *st = &m->stats[r];
    atomic_fetch_add_explicit(&st->by_status[s], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&st->buckets[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&st->sum_ns, duration_ns, memory_order_relaxed);
}

void hb_metrics_in_flight(hb_metrics *m, int delta)
{
    atomic_fetch_add_explicit(&m->in_flight, delta, memory_order_relaxed);
}

void hb_metrics_count(hb_metrics *m, hb_metric_event event)
{
    atomic_fetch_add_explicit(&m->events[event], 1, memory_order_relaxed);
}

static uint64_t load(_Atomic uint64_t *v)
{
    return atomic_load_explicit(v, memory_order_relaxed);
}

/* The labels of route r: method and pattern (patterns contain no quotes or backslashes). */
static int put_labels(const hb_metrics *m, size_t r, hb_buf *out)
{
    if (r == m->nroutes)
        return hb_buf_puts(out, "method=\"\",route=\"unmatched\"");
    return hb_buf_printf(out, "method=\"%s\",route=\"%s\"", m->routes[r].method,
                         m->routes[r].pattern);
}

static int render_requests(hb_metrics *m, hb_buf *out)
{
    int rc = hb_buf_puts(out, "# HELP healthybay_http_requests_total HTTP requests answered, by "
                              "route and status.\n"
                              "# TYPE healthybay_http_requests_total counter\n");
    for (size_t r = 0; rc == 0 && r <= m->nroutes; r++)
        for (size_t s = 0; rc == 0 && s < NSTATUS; s++) {
            uint64_t n = load(&m->stats[r].by_status[s]);
            if (n == 0)
                continue;
            rc = hb_buf_puts(out, "healthybay_http_requests_total{");
            if (rc == 0)
                rc = put_labels(m, r, out);
            if (rc == 0 && s < NSTATUS - 1)
                rc = hb_buf_printf(out, ",status=\"%u\"} %llu\n", statuses[s],
                                   (unsigned long long)n);
            else if (rc == 0)
                rc = hb_buf_printf(out, ",status=\"other\"} %llu\n", (unsigned long long)n);
        }
    return rc;
}

static int render_histogram(hb_metrics *m, size_t r, hb_buf *out)
{
    uint64_t cumulative = 0;
    int rc = 0;
    for (size_t b = 0; rc == 0 && b < NBUCKETS; b++) {
        cumulative += load(&m->stats[r].buckets[b]);
        rc = hb_buf_puts(out, "healthybay_http_request_duration_seconds_bucket{");
        if (rc == 0)
            rc = put_labels(m, r, out);
        if (rc == 0 && b < NBUCKETS - 1)
            rc =
                hb_buf_printf(out, ",le=\"%g\"} %llu\n", bounds[b], (unsigned long long)cumulative);
        else if (rc == 0)
            rc = hb_buf_printf(out, ",le=\"+Inf\"} %llu\n", (unsigned long long)cumulative);
    }
    const char *parts[] = { "sum", "count" };
    for (size_t i = 0; rc == 0 && i < 2; i++) {
        rc = hb_buf_printf(out, "healthybay_http_request_duration_seconds_%s{", parts[i]);
        if (rc == 0)
            rc = put_labels(m, r, out);
        if (rc == 0 && i == 0)
            rc = hb_buf_printf(out, "} %.9f\n", (double)load(&m->stats[r].sum_ns) / 1e9);
        else if (rc == 0)
            rc = hb_buf_printf(out, "} %llu\n", (unsigned long long)cumulative);
    }
    return rc;
}

static int render_events(hb_metrics *m, hb_buf *out)
{
    static const struct {
        hb_metric_event event;
        const char *name, *help;
    } counters[] = {
        { HB_METRIC_DB_OPENED, "healthybay_db_connections_opened_total",
          "Database connections opened by the pool." },
        { HB_METRIC_DB_CLOSED, "healthybay_db_connections_closed_total",
          "Database connections closed (after an error, or at shutdown)." },
        { HB_METRIC_DB_OPEN_FAILED, "healthybay_db_connect_failures_total",
          "Failed attempts to open a database connection." },
        { HB_METRIC_AUDIT_APPENDED, "healthybay_audit_entries_appended_total",
          "Audit log entries this process appended." },
        { HB_METRIC_IDEMPOTENT_REPLAY, "healthybay_idempotent_replays_total",
          "POST requests answered from a stored Idempotency-Key response." },
        { HB_METRIC_BODY_TIMEOUT, "healthybay_http_body_timeouts_total",
          "Connections closed because a request body arrived too slowly." },
        { HB_METRIC_HEADER_TIMEOUT, "healthybay_http_header_timeouts_total",
          "Connections cut because their headers were not complete by the deadline." },
        { HB_METRIC_CACHE_HIT, "healthybay_reference_cache_hits_total",
          "Reference listings answered from the cache or with 304 Not Modified." },
        { HB_METRIC_CACHE_MISS, "healthybay_reference_cache_misses_total",
          "Reference listings rendered from the database." },
    };
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof counters / sizeof counters[0]; i++)
        rc = hb_buf_printf(out, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", counters[i].name,
                           counters[i].help, counters[i].name, counters[i].name,
                           (unsigned long long)load(&m->events[counters[i].event]));
    return rc;
}

int hb_metrics_render(hb_metrics *m, hb_buf *out, int db_up, double db_ping_seconds)
{
    int rc = render_requests(m, out);
    if (rc == 0)
        rc = hb_buf_puts(out, "# HELP healthybay_http_request_duration_seconds Time from the "
                              "request's headers to its response, by route.\n"
                              "# TYPE healthybay_http_request_duration_seconds histogram\n");
    for (size_t r = 0; rc == 0 && r <= m->nroutes; r++)
        if (load(&m->stats[r].sum_ns) > 0 || r < m->nroutes)
            rc = render_histogram(m, r, out);
    if (rc == 0)
        rc = hb_buf_printf(out,
                           "# HELP healthybay_http_requests_in_flight Requests being handled.\n"
                           "# TYPE healthybay_http_requests_in_flight gauge\n"
                           "healthybay_http_requests_in_flight %lld\n",
                           (long long)atomic_load(&m->in_flight));
    if (rc == 0)
        rc = render_events(m, out);
    if (rc == 0)
        rc = hb_buf_printf(out,
                           "# HELP healthybay_db_up Whether the database answered this scrape.\n"
                           "# TYPE healthybay_db_up gauge\nhealthybay_db_up %d\n"
                           "# HELP healthybay_db_ping_seconds Round trip of a trivial query "
                           "during this scrape.\n"
                           "# TYPE healthybay_db_ping_seconds gauge\n"
                           "healthybay_db_ping_seconds %.6f\n",
                           db_up, db_ping_seconds);
    return rc;
}
