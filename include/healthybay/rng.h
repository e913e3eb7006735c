/*
 * healthybay/rng.h — a small, seedable random number generator for the stochastic methods
 * (EpiEstim's uncertain_si, forecast trajectories, the FluSight baseline's shuffles).
 *
 * The state belongs to the caller: no global state, so two threads with two generators never
 * interfere, and a run is reproduced exactly by its seed. The generator is xoshiro256**
 * (Blackman & Vigna 2018), seeded through splitmix64 as its authors recommend; it passes BigCrush
 * and costs a few nanoseconds per draw. Results are NOT the same numbers as R's Mersenne-Twister:
 * comparisons with R's stochastic methods are statistical, never draw by draw.
 */
#ifndef HEALTHYBAY_RNG_H
#define HEALTHYBAY_RNG_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hb_rng {
    uint64_t s[4]; /* never all zero; set by hb_rng_seed() */
} hb_rng;

/* Seed the generator; any seed (including 0) gives a valid, distinct stream. */
void hb_rng_seed(hb_rng *rng, uint64_t seed);

/* 64 uniformly distributed bits. */
uint64_t hb_rng_next(hb_rng *rng);

/* Uniform on the open interval (0, 1): never exactly 0 or 1, so log() of it is always finite. */
double hb_rng_uniform(hb_rng *rng);

/* A uniform integer in [0, n), without modulo bias; n must be > 0. */
uint64_t hb_rng_below(hb_rng *rng, uint64_t n);

/* Standard normal deviate (Marsaglia's polar method, one value per call). */
double hb_rng_normal(hb_rng *rng);

/* Gamma(shape, scale) deviate, shape > 0, scale > 0 (Marsaglia & Tsang 2000). */
double hb_rng_gamma(hb_rng *rng, double shape, double scale);

/* Poisson(mean) deviate, mean >= 0: inversion below mean 10, Hörmann's PTRS above. */
double hb_rng_poisson(hb_rng *rng, double mean);

/* Negative binomial with the given mean and size (Var = mean + mean^2/size), as a gamma-Poisson
 * mixture; size = INFINITY gives a Poisson deviate. */
double hb_rng_nbinom(hb_rng *rng, double mean, double size);

#ifdef __cplusplus
}
#endif
#endif
