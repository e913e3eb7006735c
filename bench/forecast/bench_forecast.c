/*
 * bench/forecast/bench_forecast.c — forecasts of many weekly series with the production model.
 *
 * Usage: bench_forecast [SERIES [THREADS [SAMPLE_CSV SAMPLE_SERIES]]]
 *        (defaults 100000 series, 2 threads, no sample file)
 *
 * Generates SERIES synthetic weekly series of 5 years (260 weeks, the models' training window):
 * a negative-binomial count around a yearly season whose peak week, height and baseline level
 * differ by series, plus one or two epidemics a year of random timing, size and width, the shape
 * of the Hong Kong influenza positives in data/series/ (fixed seed, so every run sees the same
 * series). Then times, in this process:
 *
 *   ensemble  what the daily early-warning run computes for a weekly influenza series: the
 *             model of etc/healthybay.conf [forecast] (ensemble) with the default members of
 *             hb_forecast_options_init(52) plus the renewal model, which the run adds for a
 *             disease with a serial interval (influenza: 3.6 / 1.6 days,
 * data/serial_intervals.csv), 4 weeks ahead, 23 quantiles; THREADS threads, each on its own slice;
 *   members   each single model on the first 2,000 series, one thread: the ensemble's members
 *             for the breakdown, the others (the FluSight baseline) for comparison.
 *
 * SAMPLE_CSV gets the first SAMPLE_SERIES series (date,series,count) for the reference run in R
 * (bench/forecast/vs_r.R, driven with this program by bench/forecast/run.sh).
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "healthybay/date.h"
#include "healthybay/forecast.h"
#include "util/alloc.h"
#include "util/clock.h"

#define WEEKS      260
#define SI_PERIODS 64 /* as src/warn/daily.c */
#define BREAKDOWN  2000

static double *series; /* nseries * WEEKS */
static size_t nseries = 100000;
static hb_forecast_options opt;
static double si[SI_PERIODS];

static void generate(size_t s, double *y)
{
    hb_rng rng;
    hb_rng_seed(&rng, 0x5eed0000u + s);
    double level = exp(log(2.0) + hb_rng_uniform(&rng) * log(200.0)); /* 2 .. 400 a week */
    double season = 0.3 + hb_rng_uniform(&rng), peak = hb_rng_uniform(&rng) * 52.18;
    double size = 5 + 45 * hb_rng_uniform(&rng);
    double epi[WEEKS] = { 0 };
    for (int year = 0; year < 5; year++) {
        int count = 1 + (hb_rng_uniform(&rng) < 0.5);
        for (int e = 0; e < count; e++) {
            double centre = year * 52.18 + hb_rng_uniform(&rng) * 52.18;
            double height = exp(hb_rng_normal(&rng) * 0.8 + 1.5),
                   width = 2 + 4 * hb_rng_uniform(&rng);
            for (int t = 0; t < WEEKS; t++)
                epi[t] += height * exp(-0.5 * (t - centre) * (t - centre) / (width * width));
        }
    }
    for (int t = 0; t < WEEKS; t++) {
        double mu = level * exp(season * cos(2 * M_PI * (t - peak) / 52.18)) * (1 + epi[t]);
        y[t] = hb_rng_nbinom(&rng, mu, size);
    }
}

typedef struct job {
    size_t from, to;
    hb_forecast_model model;
    unsigned members;
    int failed;
    double cpu; /* seconds of CPU time this thread used */
} job;

static double thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *run(void *arg)
{
    job *j = arg;
    hb_forecast_options o = opt;
    o.members = j->members;
    double q[4 * HB_FORECAST_NQUANTILES], t0 = thread_cpu();
    for (size_t s = j->from; s < j->to && !j->failed; s++) {
        hb_rng rng;
        hb_rng_seed(&rng, s);
        if (hb_forecast(q, j->model, series + s * WEEKS, NULL, WEEKS, &o, &rng) < 0)
            j->failed = 1;
    }
    j->cpu = thread_cpu() - t0;
    return NULL;
}

/* Wall seconds to forecast series [0, n) with model on threads threads; *cpu gets the CPU
 * seconds of all threads (the machine is shared: CPU time is what the work itself costs). */
static double timed(double *cpu, hb_forecast_model model, size_t n, int threads)
{
    pthread_t tid[64];
    job jobs[64];
    uint64_t t0 = hb_monotonic_ns();
    for (int i = 0; i < threads; i++) {
        jobs[i] = (job){ n * (size_t)i / (size_t)threads,
                         n * (size_t)(i + 1) / (size_t)threads,
                         model,
                         opt.members,
                         0,
                         0 };
        if (pthread_create(&tid[i], NULL, run, &jobs[i]) != 0) {
            fprintf(stderr, "bench_forecast: cannot start a thread\n");
            exit(1);
        }
    }
    int failed = 0;
    *cpu = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(tid[i], NULL);
        failed |= jobs[i].failed;
        *cpu += jobs[i].cpu;
    }
    if (failed) {
        fprintf(stderr, "bench_forecast: a forecast failed\n");
        exit(1);
    }
    return (double)(hb_monotonic_ns() - t0) / 1e9;
}

static void write_sample(const char *path, size_t count)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "bench_forecast: cannot create %s\n", path);
        exit(1);
    }
    fprintf(f, "date,series,count\n");
    hb_date start;
    hb_date_parse(&start, "2015-01-04", 10);
    char day[HB_DATE_STRLEN];
    for (size_t s = 0; s < count && s < nseries; s++)
        for (size_t t = 0; t < WEEKS; t++)
            fprintf(f, "%s,s%zu,%.0f\n", hb_date_format(day, start + (hb_date)(7 * t)), s,
                    series[s * WEEKS + t]);
    if (fclose(f) != 0) {
        fprintf(stderr, "bench_forecast: cannot write %s\n", path);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    int threads = 2;
    if (argc > 1)
        nseries = (size_t)strtoul(argv[1], NULL, 10);
    if (argc > 2)
        threads = atoi(argv[2]);
    if (nseries < 1 || threads < 1 || threads > 64) {
        fprintf(stderr, "usage: bench_forecast [SERIES [THREADS [SAMPLE_CSV SAMPLE_SERIES]]]\n");
        return 2;
    }
    series = hb_xcalloc(nseries * WEEKS, sizeof *series);
    for (size_t s = 0; s < nseries; s++)
        generate(s, series + s * WEEKS);
    if (argc > 4)
        write_sample(argv[3], (size_t)strtoul(argv[4], NULL, 10));

    hb_forecast_options_init(&opt, 52);
    if (hb_forecast_si_periods(si, SI_PERIODS, 3.6, 1.6, 7) < 0)
        return 1;
    opt.si = si;
    opt.si_len = SI_PERIODS;
    opt.members = hb_forecast_default_members(52, true);

    double cpu, wall = timed(&cpu, HB_MODEL_ENSEMBLE, nseries, threads);
    printf("healthybay ensemble (production): %zu weekly series of %d weeks, %d threads: "
           "%.2f s wall, %.0f series/s; CPU %.1f us per series\n",
           nseries, WEEKS, threads, wall, (double)nseries / wall, cpu * 1e6 / (double)nseries);
    size_t nb = nseries < BREAKDOWN ? nseries : BREAKDOWN;
    for (int m = 0; m < HB_MODEL_ENSEMBLE; m++) {
        timed(&cpu, (hb_forecast_model)m, nb, 1);
        printf("  %-6s %-12s CPU %.1f us per series\n",
               opt.members & (1u << m) ? "member" : "alone",
               hb_forecast_model_name((hb_forecast_model)m), cpu * 1e6 / (double)nb);
    }
    hb_free(series);
    return 0;
}
