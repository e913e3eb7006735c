/*
 * cli/parallel.c — see parallel.h. Threads are created per chunk: a chunk is hundreds of series,
 * so thread start-up (tens of microseconds) is noise, and there is no pool to shut down.
 */
#include "cli/parallel.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include "util/limits.h"

#define THREADS_MAX 64
#define CHUNK       512 /* series per chunk: bounds the output held in memory */

typedef struct slice {
    hb_par_fn fn;
    void *ctx;
    size_t begin, end;
    hb_buf out, warn;
    int rc;
    char message[HB_ERROR_MESSAGE_MAX];
} slice;

static void *work(void *arg)
{
    slice *s = arg;
    for (size_t i = s->begin; i < s->end && s->rc == 0; i++) {
        int rc = s->fn(s->ctx, i, &s->out, &s->warn);
        if (rc < 0) {
            s->rc = rc;
            snprintf(s->message, sizeof s->message, "%s", hb_error_last());
        }
    }
    return NULL;
}

int hb_par_run(size_t nthreads, size_t n, hb_par_fn fn, hb_par_emit emit, void *ctx)
{
    if (nthreads < 1)
        nthreads = 1;
    if (nthreads > THREADS_MAX)
        nthreads = THREADS_MAX;
    slice slices[THREADS_MAX];
    for (size_t t = 0; t < nthreads; t++) {
        memset(&slices[t], 0, sizeof slices[t]);
        hb_buf_init(&slices[t].out, 0);
        hb_buf_init(&slices[t].warn, 0);
    }
    int rc = 0;
    for (size_t begin = 0; rc == 0 && begin < n; begin += CHUNK) {
        size_t end = begin + CHUNK < n ? begin + CHUNK : n,
               per = (end - begin + nthreads - 1) / nthreads;
        pthread_t tid[THREADS_MAX];
        bool started[THREADS_MAX] = { false };
        for (size_t t = 0; t < nthreads; t++) {
            slice *s = &slices[t];
            s->fn = fn, s->ctx = ctx, s->rc = 0;
            s->begin = begin + t * per < end ? begin + t * per : end;
            s->end = s->begin + per < end ? s->begin + per : end;
            if (t == 0 || pthread_create(&tid[t], NULL, work, s) != 0)
                continue;
            started[t] = true;
        }
        work(&slices[0]);
        for (size_t t = 1; t < nthreads; t++) {
            if (started[t])
                pthread_join(tid[t], NULL);
            else
                work(&slices[t]); /* could not start a thread: do its share here */
        }
        for (size_t t = 0; rc == 0 && t < nthreads; t++) {
            if (slices[t].rc < 0)
                rc = hb_error_set(slices[t].rc, "%s", slices[t].message);
            else
                rc = emit(ctx, &slices[t].out, &slices[t].warn, slices[t].end, n);
            hb_buf_reset(&slices[t].out);
            hb_buf_reset(&slices[t].warn);
        }
    }
    for (size_t t = 0; t < nthreads; t++) {
        hb_buf_dispose(&slices[t].out);
        hb_buf_dispose(&slices[t].warn);
    }
    return rc;
}
