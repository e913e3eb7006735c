#!/usr/bin/env python3
"""Synthetic daily case series for bench/rt/run.sh: SERIES regions x DAYS days of an epidemic
driven by the renewal equation (influenza-like serial interval, R drifting between 0.6 and 1.8,
Poisson noise), from a fixed seed. Writes date,region,count to OUT."""
import math
import random
import sys
from datetime import date, timedelta

series, days, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = random.Random(20030301)
# Influenza-like serial interval by day (mean about 3.6 days), normalised.
si = [0.0] + [math.exp(-((d - 3.6) ** 2) / (2 * 1.6 ** 2)) for d in range(1, 15)]
si = [w / sum(si) for w in si]


def poisson(mean):
    if mean < 30:
        k, p, u = 0, math.exp(-mean), rng.random()
        c = p
        while u > c:
            k += 1
            p *= mean / k
            c += p
        return k
    return max(0, round(rng.gauss(mean, math.sqrt(mean))))


start = date(2020, 1, 1)
with open(out, "w") as f:
    f.write("date,region,count\n")
    for s in range(series):
        cases, r = [rng.randint(1, 20)], 1.2
        for t in range(1, days):
            r = min(1.8, max(0.6, r + rng.gauss(0, 0.03)))
            load = sum(si[k] * cases[t - k] for k in range(1, min(t, 14) + 1))
            cases.append(poisson(min(r * load + 0.5, 1e6)))
        for t, c in enumerate(cases):
            f.write(f"{start + timedelta(days=t)},r{s:05d},{c}\n")
