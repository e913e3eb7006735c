/*
 * bench/detect/scale.c — the Greater Bay Area scale check of issue #4: one million weekly series
 * of ten years, screened for their latest week with Farrington flexible under Noufaily et al.'s
 * settings (noPeriods 10, pastWeeksNotIncluded 26, pThresholdTrend 1, nbPlugin), calling the
 * library directly on T threads. Goal: <= 10 s on 2 cores.
 *
 *     build/release/bench/bench_detect_scale [SERIES] [THREADS] [WEEKS] [ROUNDS]
 *                                             (1000000, 2, 520, 1)
 *
 * ROUNDS > 1 screens the same series again (for profiling detection apart from generation).
 *
 * The series are synthetic, made here with a fixed seed (xoshiro256**, hb_rng): Noufaily et al.'s
 * simulation model, log mu_t = theta + beta t + sum_j gamma_j cos/sin(2 pi j t / 52), counts
 * negative binomial with dispersion phi, and four past outbreaks per series; the parameters of
 * each series are drawn from the ranges of their scenarios (theta 0.5..5, beta 0 or 0.003,
 * 0..2 harmonics, phi 1..5). Generation is timed apart from detection. Prints the detection
 * wall time, microseconds per series, alarms found, and the peak resident memory.
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "healthybay/date.h"
#include "healthybay/rng.h"
#include "healthybay/surveil.h"

#define THREADS_MAX 64

typedef struct job {
    size_t begin, end, weeks, rounds;
    uint16_t *counts; /* series * weeks */
    const hb_date *dates;
    uint64_t seed;
    long alarms, na;
    int rc;
} job;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void generate_one(uint16_t *y, size_t weeks, hb_rng *rng)
{
    double theta = 0.5 + 4.5 * hb_rng_uniform(rng);
    double beta = hb_rng_uniform(rng) < 0.3 ? 0.003 : 0.0;
    int m = (int)hb_rng_below(rng, 3);
    double g1 = 0.2 + 0.4 * hb_rng_uniform(rng), g2 = 0.2 + 0.4 * hb_rng_uniform(rng);
    double phi = 1 + 4 * hb_rng_uniform(rng);
    for (size_t t = 0; t < weeks; t++) {
        double s = 0;
        for (int j = 1; j <= m; j++)
            s += g1 * cos(2 * M_PI * j * (double)t / 52) + g2 * sin(2 * M_PI * j * (double)t / 52);
        double mu = exp(theta + beta * (double)t + s);
        double v = phi > 1.0001 ? hb_rng_nbinom(rng, mu, mu / (phi - 1)) : hb_rng_poisson(rng, mu);
        y[t] = (uint16_t)(v > 65535 ? 65535 : v);
    }
    /* Four past outbreaks: a burst of k * sqrt(phi mu) cases spread over a few weeks. */
    for (int o = 0; o < 4 && weeks > 60; o++) {
        size_t t0 = (size_t)hb_rng_below(rng, weeks - 60);
        double extra = 3 * sqrt(phi * exp(theta)) * (1 + hb_rng_uniform(rng));
        for (size_t d = 0; d < 4; d++) {
            double v = y[t0 + d] + extra / (double)(d + 1);
            y[t0 + d] = (uint16_t)(v > 65535 ? 65535 : v);
        }
    }
}

static void *generate(void *arg)
{
    job *j = arg;
    for (size_t i = j->begin; i < j->end; i++) {
        hb_rng rng;
        hb_rng_seed(&rng, j->seed * 0x9e3779b97f4a7c15u + i);
        generate_one(j->counts + i * j->weeks, j->weeks, &rng);
    }
    return NULL;
}

static void *detect(void *arg)
{
    job *j = arg;
    hb_surveil_params p;
    hb_surveil_params_init(&p, HB_SURVEIL_FARRINGTON_FLEXIBLE);
    p.no_periods = 10;
    p.past_weeks_not_included = 26;
    p.p_threshold_trend = 1;
    p.threshold_method = HB_SURVEIL_THRESHOLD_NBPLUGIN;
    hb_surveil_work *w;
    double *y = malloc(j->weeks * sizeof *y);
    if (!y || (j->rc = hb_surveil_work_new(&w, j->weeks)) < 0) {
        j->rc = -1;
        free(y);
        return NULL;
    }
    for (size_t n = 0; n < j->rounds * (j->end - j->begin) && j->rc == 0; n++) {
        size_t i = j->begin + n % (j->end - j->begin);
        const uint16_t *c = j->counts + i * j->weeks;
        for (size_t t = 0; t < j->weeks; t++)
            y[t] = c[t];
        hb_surveil_series s = { j->weeks, j->dates, y, NULL, 52 };
        double ex, up;
        signed char al;
        hb_surveil_result r = { &ex, &up, &al, NULL };
        j->rc = hb_surveil_detect(&r, w, &s, &p, j->weeks - 1, j->weeks);
        j->alarms += al == 1;
        j->na += al < 0 || isnan(up);
    }
    hb_surveil_work_free(w);
    free(y);
    return NULL;
}

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

/* Run fn on every job; returns the wall time, *cpu the CPU time of all threads. */
static double run(void *(*fn)(void *), job *jobs, size_t threads, double *cpu)
{
    pthread_t tid[THREADS_MAX];
    double t0 = now(), c0 = cpu_seconds();
    for (size_t t = 1; t < threads; t++)
        pthread_create(&tid[t], NULL, fn, &jobs[t]);
    fn(&jobs[0]);
    for (size_t t = 1; t < threads; t++)
        pthread_join(tid[t], NULL);
    *cpu = cpu_seconds() - c0;
    return now() - t0;
}

int main(int argc, char **argv)
{
    size_t series = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    size_t threads = argc > 2 ? strtoul(argv[2], NULL, 10) : 2;
    size_t weeks = argc > 3 ? strtoul(argv[3], NULL, 10) : 520;
    size_t rounds = argc > 4 ? strtoul(argv[4], NULL, 10) : 1;
    if (series == 0 || threads == 0 || threads > THREADS_MAX || weeks < 300 || rounds == 0) {
        fprintf(stderr, "usage: bench_detect_scale [SERIES] [THREADS 1..64] [WEEKS >= 300] "
                        "[ROUNDS]\n");
        return 2;
    }
    uint16_t *counts = malloc(series * weeks * sizeof *counts);
    hb_date *dates = malloc(weeks * sizeof *dates);
    if (!counts || !dates) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (size_t t = 0; t < weeks; t++)
        dates[t] = hb_date_from_ymd(2014, 1, 6) + (hb_date)(7 * t);
    job jobs[THREADS_MAX];
    size_t per = (series + threads - 1) / threads;
    for (size_t t = 0; t < threads; t++) {
        size_t b = t * per < series ? t * per : series, e = b + per < series ? b + per : series;
        jobs[t] = (job){ b, e, weeks, rounds, counts, dates, 20240601, 0, 0, 0 };
    }
    double cg, cd;
    double tg = run(generate, jobs, threads, &cg);
    double td = run(detect, jobs, threads, &cd);
    long alarms = 0, na = 0;
    for (size_t t = 0; t < threads; t++) {
        if (jobs[t].rc != 0) {
            fprintf(stderr, "detection failed in thread %zu\n", t);
            return 1;
        }
        alarms += jobs[t].alarms;
        na += jobs[t].na;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("series %zu x %zu weeks, latest week, farringtonFlexible (Noufaily), %zu threads\n",
           series, weeks, threads);
    printf("generation  %.2f s (not part of the goal)\n", tg);
    double screened = (double)series * (double)rounds;
    printf("detection   %.2f s  = %.2f us per series  (goal: 1e6 series <= 10 s on 2 cores)\n", td,
           td * 1e6 / screened);
    printf("            CPU %.2f s = %.2f us per series and core (a loaded machine shows here)\n",
           cd, cd * 1e6 / screened);
    printf("alarms      %ld (%.2f%%), below limit54 or NA %ld\n", alarms,
           100.0 * (double)alarms / screened, na);
    printf("peak memory %.0f MB (resident; the counts alone are %.0f MB)\n",
           (double)ru.ru_maxrss / 1024.0, (double)(series * weeks * sizeof *counts) / 1048576.0);
    free(counts);
    free(dates);
    return 0;
}
