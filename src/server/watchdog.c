/*
 * server/watchdog.c — the header deadline (see watchdog.h).
 */
#include "server/watchdog.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "util/alloc.h"
#include "util/clock.h"
#include "util/error.h"

struct hb_watched {
    hb_watched *prev, *next;
    int fd;
    _Atomic uint64_t waiting_since_ns; /* start of the wait for the next request's headers */
    atomic_bool request_line;          /* a request has started: there is something to answer */
    atomic_bool in_request;
    bool cut;
};

struct hb_watchdog {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    hb_watched *head;
    uint64_t deadline_ns;
    bool stopping;
    hb_metrics *metrics;
    const char *timeout_response;
};

static void cut_overdue(hb_watchdog *w)
{
    uint64_t now = hb_monotonic_ns();
    for (hb_watched *c = w->head; c; c = c->next) {
        if (c->cut || atomic_load(&c->in_request) ||
            now - atomic_load(&c->waiting_since_ns) < w->deadline_ns)
            continue;
        if (w->timeout_response && atomic_load(&c->request_line))
            (void)send(c->fd, w->timeout_response, strlen(w->timeout_response),
                       MSG_NOSIGNAL | MSG_DONTWAIT); /* best effort: the client is stalling */
        shutdown(c->fd, SHUT_RDWR);
        c->cut = true;
        if (w->metrics)
            hb_metrics_count(w->metrics, HB_METRIC_HEADER_TIMEOUT);
    }
}

static void *run(void *arg)
{
    hb_watchdog *w = arg;
    pthread_mutex_lock(&w->lock);
    while (!w->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        pthread_cond_timedwait(&w->wake, &w->lock, &until);
        if (!w->stopping)
            cut_overdue(w);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

int hb_watchdog_start(hb_watchdog **out, unsigned deadline_seconds, hb_metrics *metrics,
                      const char *timeout_response)
{
    hb_watchdog *w = hb_calloc(1, sizeof *w);
    if (!w)
        return HB_ENOMEM;
    w->deadline_ns = (uint64_t)deadline_seconds * 1000000000u;
    w->metrics = metrics;
    w->timeout_response = timeout_response;
    if (pthread_mutex_init(&w->lock, NULL) != 0) {
        hb_free(w);
        return hb_error_set(HB_ERROR, "cannot start the connection watchdog");
    }
    if (pthread_cond_init(&w->wake, NULL) != 0 || pthread_create(&w->thread, NULL, run, w) != 0) {
        pthread_mutex_destroy(&w->lock);
        hb_free(w);
        return hb_error_set(HB_ERROR, "cannot start the connection watchdog");
    }
    *out = w;
    return 0;
}

void hb_watchdog_stop(hb_watchdog *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stopping = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    hb_free(w);
}

hb_watched *hb_watchdog_open(hb_watchdog *w, int fd)
{
    hb_watched *c = hb_xcalloc(1, sizeof *c);
    c->fd = fd;
    atomic_store(&c->waiting_since_ns, hb_monotonic_ns());
    pthread_mutex_lock(&w->lock);
    c->next = w->head;
    if (w->head)
        w->head->prev = c;
    w->head = c;
    pthread_mutex_unlock(&w->lock);
    return c;
}

void hb_watchdog_close(hb_watchdog *w, hb_watched *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&w->lock);
    if (c->prev)
        c->prev->next = c->next;
    else
        w->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    pthread_mutex_unlock(&w->lock);
    hb_free(c);
}

void hb_watchdog_request_line(hb_watched *c)
{
    if (c)
        atomic_store(&c->request_line, true);
}

void hb_watchdog_request(hb_watched *c)
{
    if (c)
        atomic_store(&c->in_request, true);
}

void hb_watchdog_response(hb_watched *c)
{
    if (!c)
        return;
    atomic_store(&c->waiting_since_ns, hb_monotonic_ns());
    atomic_store(&c->request_line, false);
    atomic_store(&c->in_request, false);
}
