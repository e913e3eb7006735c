/*
 * rt/rng.c — xoshiro256** with splitmix64 seeding, and the few distributions the Rt and
 * forecasting code samples from (see healthybay/rng.h).
 *
 * The deviates are textbook algorithms chosen for being exact (no normal approximations) and
 * branch-light: Marsaglia's polar method for the normal, Marsaglia & Tsang's squeeze for the
 * gamma (with the shape < 1 boost u^(1/shape)), and for the Poisson plain inversion when the mean
 * is small and Hörmann's transformed rejection with squeeze (PTRS, 1993) when it is not.
 */
#include "healthybay/rng.h"

#include <assert.h>
#include <math.h>

#define MATHLIB_STANDALONE
#include <Rmath.h>

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

void hb_rng_seed(hb_rng *rng, uint64_t seed)
{
    assert(rng);
    for (int i = 0; i < 4; i++)
        rng->s[i] = splitmix64(&seed);
    /* splitmix64 is a bijection of a counter, so four consecutive outputs are never all zero. */
    assert(rng->s[0] | rng->s[1] | rng->s[2] | rng->s[3]);
}

uint64_t hb_rng_next(hb_rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double hb_rng_uniform(hb_rng *rng)
{
    /* 53 random bits centred in their interval: (k + 0.5) / 2^53 lies strictly inside (0, 1). */
    return ((double)(hb_rng_next(rng) >> 11) + 0.5) * 0x1.0p-53;
}

uint64_t hb_rng_below(hb_rng *rng, uint64_t n)
{
    assert(n > 0);
    /* Reject the top partial block so every residue is equally likely. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do
        x = hb_rng_next(rng);
    while (x >= limit);
    return x % n;
}

double hb_rng_normal(hb_rng *rng)
{
    double u, v, s;
    do {
        u = 2.0 * hb_rng_uniform(rng) - 1.0;
        v = 2.0 * hb_rng_uniform(rng) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    return u * sqrt(-2.0 * log(s) / s);
}

double hb_rng_gamma(hb_rng *rng, double shape, double scale)
{
    assert(shape > 0 && scale > 0);
    if (shape < 1.0) {
        /* Gamma(a) = Gamma(a + 1) * U^(1/a) (Marsaglia & Tsang, section 6). */
        double u = hb_rng_uniform(rng);
        return hb_rng_gamma(rng, shape + 1.0, scale) * pow(u, 1.0 / shape);
    }
    double d = shape - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double x, v;
        do {
            x = hb_rng_normal(rng);
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        double u = hb_rng_uniform(rng);
        if (u < 1.0 - 0.0331 * (x * x) * (x * x))
            return d * v * scale;
        if (log(u) < 0.5 * x * x + d * (1.0 - v + log(v)))
            return d * v * scale;
    }
}

static double poisson_inversion(hb_rng *rng, double mean)
{
    /* Sequential search from 0; the expected number of steps is mean + 1. */
    double p = exp(-mean), cdf = p, u = hb_rng_uniform(rng);
    double k = 0;
    while (u > cdf && p > 0) {
        k += 1;
        p *= mean / k;
        cdf += p;
    }
    return k;
}

static double poisson_ptrs(hb_rng *rng, double mean)
{
    double slam = sqrt(mean), loglam = log(mean);
    double b = 0.931 + 2.53 * slam;
    double a = -0.059 + 0.02483 * b;
    double invalpha = 1.1239 + 1.1328 / (b - 3.4);
    double vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
        double u = hb_rng_uniform(rng) - 0.5;
        double v = hb_rng_uniform(rng);
        double us = 0.5 - fabs(u);
        double k = floor((2 * a / us + b) * u + mean + 0.43);
        if (us >= 0.07 && v <= vr)
            return k;
        if (k < 0 || (us < 0.013 && v > us))
            continue;
        if (log(v) + log(invalpha) - log(a / (us * us) + b) <= -mean + k * loglam - lgammafn(k + 1))
            return k;
    }
}

double hb_rng_poisson(hb_rng *rng, double mean)
{
    assert(mean >= 0 && isfinite(mean));
    if (mean == 0)
        return 0;
    return mean < 10 ? poisson_inversion(rng, mean) : poisson_ptrs(rng, mean);
}

double hb_rng_nbinom(hb_rng *rng, double mean, double size)
{
    assert(mean >= 0 && size > 0);
    if (mean == 0)
        return 0;
    if (isinf(size))
        return hb_rng_poisson(rng, mean);
    return hb_rng_poisson(rng, hb_rng_gamma(rng, size, mean / size));
}
