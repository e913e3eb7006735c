#!/bin/sh
# Forecasts of many weekly series with the production model (the ensemble the daily run uses),
# beside the same ensemble written in R (MASS::glm.nb, lm.fit, rgamma/rnbinom) in the same run.
#
#   bench/forecast/run.sh [SERIES [SAMPLE]]   (defaults 100000 and 100; needs a Release build in
#                                              build/release and R with MASS and EpiEstim)
#
# healthybay forecasts all SERIES on 2 threads (bench_forecast); R forecasts the first SAMPLE of
# the same series on one core, and its time for all SERIES is extrapolated from its time per
# series (labelled as such: R was not run on all of them).
set -eu
cd "$(dirname "$0")/../.."
series=${1:-100000}
sample=${2:-100}
bench=build/release/bench/bench_forecast
[ -x "$bench" ] || { echo "build first: cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release && cmake --build build/release" >&2; exit 1; }
out=$(mktemp -d "${TMPDIR:-/tmp}/hb-bench-forecast.XXXXXX")
trap 'rm -rf "$out"' EXIT

"$bench" "$series" 2 "$out/sample.csv" "$sample" | tee "$out/hb.txt"
TZ=UTC Rscript bench/forecast/vs_r.R "$out/sample.csv" | tee "$out/r.txt"

python3 - "$series" "$out/hb.txt" "$out/r.txt" <<'PY'
import re, sys
series = int(sys.argv[1])
hb = open(sys.argv[2]).read()
wall = float(re.search(r"threads: ([0-9.]+) s wall", hb).group(1))
cpu_us = float(re.search(r"CPU ([0-9.]+) us per series", hb).group(1))
r_s = float(re.search(r"R_ENSEMBLE_SECONDS_PER_SERIES ([0-9.]+)", open(sys.argv[3]).read()).group(1))
print(f"per series, one core : healthybay {cpu_us:8.1f} us   R {r_s * 1e6:10.1f} us   "
      f"ratio {r_s * 1e6 / cpu_us:,.0f}x")
print(f"{series:,} series       : healthybay {wall:8.1f} s on 2 threads (measured)   "
      f"R {r_s * series / 2:8.0f} s on 2 cores (extrapolated from the sample)")
PY
