#!/bin/sh
# Detection speed beside R, in one run on the same data: `healthybay detect` against R's
# surveillance 1.20.3 (farringtonFlexible with its defaults and with Noufaily's settings, earsC C1,
# glrnb with R's default glm.nb baseline) on fluBYBW districts and a six-year daily series.
# Prints milliseconds per series-timepoint for both and the ratio. R is single-threaded, so
# healthybay runs with --threads 1 (the ratio per core) and again with --threads 2.
#
#   bench/detect/vs_r.sh [DISTRICTS]     (default 140 = all of fluBYBW; R needs about 10 ms per
#                                          farringtonFlexible series-timepoint: 8 minutes for 140)
#
# Needs a Release build in build/release and R with r-cran-surveillance
# (scripts/install-deps.sh --reference).
set -eu
cd "$(dirname "$0")/../.."
districts=${1:-140}
hb=build/release/healthybay
[ -x "$hb" ] || { echo "build first: cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release && cmake --build build/release" >&2; exit 1; }
out=$(mktemp -d "${TMPDIR:-/tmp}/hb-bench-detect.XXXXXX")
trap 'rm -rf "$out"' EXIT
Rscript bench/detect/vs_r.R "$out" "$districts"

# time_hb LABEL THREADS DATASET ARGS...: seconds and alarms of one healthybay run.
time_hb() {
    label=$1 threads=$2 dataset=$3
    shift 3
    t0=$(date +%s.%N)
    "$hb" detect --threads "$threads" "$@" "$out/$dataset.csv" >"$out/hb.out" 2>"$out/hb.err"
    t1=$(date +%s.%N)
    rows=$(($(wc -l <"$out/hb.out") - 1))
    alarms=$(awk -F, 'NR > 1 && $NF == "1"' "$out/hb.out" | wc -l)
    echo "$label,$dataset,$threads,$rows,$(echo "$t1 - $t0" | bc -l),$alarms" >>"$out/hb.csv"
}
noufaily="--no-periods 10 --past-weeks-not-included 26 --p-threshold-trend 1 --threshold-method nbPlugin"
for threads in 1 2; do
    for dataset in flu daily; do
        case $dataset in flu) glr=2001-12-31: ;; daily) glr=2016-01-01: ;; esac # R: (freq + 1):n
        time_hb farringtonFlexible "$threads" "$dataset" --method farrington-flexible
        # shellcheck disable=SC2086
        time_hb farringtonFlexible-noufaily "$threads" "$dataset" --method farrington-flexible $noufaily
        time_hb earsC-C1 "$threads" "$dataset" --method ears-c1
        time_hb glrnb "$threads" "$dataset" --method glrnb --range "$glr"
    done
done

echo
printf '%-28s %-6s %7s %7s | %10s %6s | %10s %6s %8s | %8s\n' method data stp threads \
    "R ms/stp" alarms "hb ms/stp" alarms ratio "hb stp"
awk -F, 'FILENAME ~ /r.csv$/ { if (FNR == 1) next; k = $1 "," $2; rs[k] = $4 / $3 * 1000; ra[k] = $5; rn[k] = $3; next }
    { k = $1 "," $2; hs = $5 / $4 * 1000
      printf "%-28s %-6s %7d %7d | %10.4f %6d | %10.5f %6d %7.0fx | %8d\n", $1, $2, rn[k], $3, rs[k], ra[k], hs, $6, rs[k] / hs, $4 }' \
    "$out/r.csv" "$out/hb.csv"
