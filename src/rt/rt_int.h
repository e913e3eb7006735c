/*
 * rt/rt_int.h — Rt internals shared with the renewal forecast (forecast_renewal.c).
 */
#ifndef HB_RT_RT_INT_H
#define HB_RT_RT_INT_H

#include <stddef.h>

/* prefix[t + 1] = sum_{s <= t} Lambda_s for t = 0 .. length-1 (prefix[length + 1]), where
 * Lambda_s = sum_{k >= 1} si[k] (local + imported)_{s-k} is the overall infectivity. */
void hb_rt__infectivity_prefix(double *prefix, const double *local, const double *imported,
                               size_t length, const double *si, size_t si_len);

#endif
