#!/bin/sh
# Rt of many daily series: `healthybay rt` beside R's EpiEstim estimate_R on the same file in the
# same run (parity is tested in tests/parity; this measures speed, and checks on the side that
# both gave the same estimates).
#
#   bench/rt/run.sh [SERIES [DAYS]]   (defaults 1000 and 365; needs a Release build in
#                                      build/release and R with EpiEstim)
#
# Both read the same CSV (bench/rt/gen_series.py, fixed seed), estimate with a parametric serial
# interval of mean 3.6 and sd 1.6 days (influenza, data/serial_intervals.csv) over EpiEstim's
# default weekly sliding windows, and are timed as whole programs (reading, estimating, writing).
# healthybay runs on one thread, as R does.
set -eu
cd "$(dirname "$0")/../.."
series=${1:-1000}
days=${2:-365}
hb=build/release/healthybay
[ -x "$hb" ] || { echo "build first: cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release && cmake --build build/release" >&2; exit 1; }
out=$(mktemp -d "${TMPDIR:-/tmp}/hb-bench-rt.XXXXXX")
trap 'rm -rf "$out"' EXIT
python3 bench/rt/gen_series.py "$series" "$days" "$out/series.csv"

t0=$(date +%s.%N)
"$hb" rt --si-mean 3.6 --si-sd 1.6 "$out/series.csv" >"$out/hb.csv"
t1=$(date +%s.%N)
TZ=UTC Rscript bench/rt/vs_r.R "$out/series.csv" 3.6 1.6 "$out/r.csv" | tee "$out/r.txt"

python3 - "$series" "$days" "$t0" "$t1" "$out" <<'PY'
import csv, re, sys
series, days, t0, t1, out = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
hb = t1 - t0
r = float(re.search(r"R_SECONDS ([0-9.]+)", open(f"{out}/r.txt").read()).group(1))
# Same estimates? healthybay's rows are in R's order (series, then window end).
ours = list(csv.DictReader(open(f"{out}/hb.csv")))
ref = list(csv.DictReader(open(f"{out}/r.csv")))
assert len(ours) == len(ref), (len(ours), len(ref))
worst = 0.0
for a, b in zip(ours, ref):
    for col in ("mean", "q975"):
        if a[col] != "NA" and b[col] != "NA":
            x, y = float(a[col]), float(b[col])
            worst = max(worst, abs(x - y) / max(abs(y), 1e-300))
print(f"{series:,} daily series of {days} days, {len(ours):,} weekly windows")
print(f"healthybay rt          : {hb:8.2f} s  ({hb / series * 1e3:7.3f} ms per series, one thread)")
print(f"EpiEstim estimate_R    : {r:8.2f} s  ({r / series * 1e3:7.3f} ms per series)")
print(f"ratio                  : {r / hb:,.0f}x faster; largest relative difference of the "
      f"estimates (mean, q975): {worst:.1e}")
PY
