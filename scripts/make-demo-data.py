#!/usr/bin/env python3
"""Turn the real Greater Bay Area surveillance series into healthybay's ingestion format.

Usage: scripts/make-demo-data.py SHARED_DATA_DIR OUT_DIR
       (in this repository: scripts/make-demo-data.py ../shared/data data/demo)

Every output file has the columns date,region,disease,measure,value and is loaded by
`healthybay demo` with `healthybay ingest`. What each file holds, where it comes from and its
licence is in data/demo/README.md. The conversion is deterministic: rerunning it gives the same
bytes.
"""
import csv
import os
import sys

HEADER = ["date", "region", "disease", "measure", "value"]

# Guangdong monthly wide-file columns → healthybay disease codes (data/diseases.csv).
GD_DISEASES = {
    "influenza": "influenza", "dengue": "dengue", "hand_foot_and_mouth_disease": "hfmd",
    "measles": "measles", "scarlet_fever": "scarlet_fever", "mumps": "mumps",
    "rubella": "rubella", "pertussis": "pertussis", "chickenpox": "chickenpox",
    "tuberculosis": "tuberculosis", "infectious_diarrhea": "infectious_diarrhea",
    "bacterial_dysentery": "bacterial_dysentery",
    "acute_hemorrhagic_conjunctivitis": "acute_hemorrhagic_conjunctivitis",
    "japanese_encephalitis": "japanese_encephalitis", "malaria": "malaria",
    "hepatitis_a": "hepatitis_a", "hepatitis_e": "hepatitis_e",
    "epidemic_hemorrhagic_fever": "hfrs", "leptospirosis": "leptospirosis",
    "typhoid_fever_and_paratyphoid_fever": "typhoid_paratyphoid",
}

# The nine mainland GBA cities plus Hong Kong and Macao (GB/T 2260 codes, as in canghailan).
GBA_AREAS = {"440100", "440300", "440400", "440600", "440700", "441200", "441300", "441900",
             "442000", "810000", "820000"}


def write(path, rows):
    rows = sorted(rows, key=lambda r: (r[1], r[2], r[3], r[0]))
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)
    print(f"{path}: {len(rows)} rows", file=sys.stderr)


def hk_flu(src):
    """CHP Flu Express 2014-2019, weekly (weeks start on Sunday)."""
    rows = []
    for r in csv.DictReader(open(os.path.join(src, "hong_kong/hk_chp_flu_express_weekly.csv"))):
        day = r["week_start"]
        if r["AandB"]:
            rows.append([day, "810000", "influenza", "positives", r["AandB"]])
        if r["ILI_GOPC"]:
            rows.append([day, "810000", "influenza", "ili_rate", r["ILI_GOPC"]])
        if r["AandB_proportion"]:
            pct = round(float(r["AandB_proportion"]) * 100, 2)
            rows.append([day, "810000", "influenza", "positivity", f"{pct:g}"])
    return rows


def hk_covid(src):
    """CHP line list 2020-01-18..2022-02-08: daily cases by onset, local and imported."""
    rows = []
    path = os.path.join(src, "hong_kong/hk_chp_covid19_linelist_daily_counts.csv")
    for r in csv.DictReader(open(path)):
        rows.append([r["date"], "810000", "covid19", "cases", r["onset_local"]])
        rows.append([r["date"], "810000", "covid19", "imported_cases", r["onset_imported"]])
    return rows


def gd_monthly(src):
    """Guangdong monthly notifiable diseases 2004-2017 (blank = no national report that month)."""
    rows = []
    path = os.path.join(src, "guangdong/cnids_guangdong_monthly_core_wide.csv")
    for r in csv.DictReader(open(path)):
        for column, code in GD_DISEASES.items():
            if r.get(column, "") != "":
                rows.append([r["month"] + "-01", "440000", code, "cases", r[column]])
    return rows


def gba_covid_2020(src):
    """Daily new confirmed COVID-19 cases in the GBA cities, Hong Kong and Macao, 2020."""
    rows = []
    path = os.path.join(src, "covid19/canghailan_covid19_daily_guangdong_cities_hk_macao_2020.csv")
    for r in csv.DictReader(open(path)):
        value = r["confirmed_daily_new"]
        # Hong Kong's daily cases come from the CHP line list above; negative values are
        # revisions of cumulative counts, not counts (one row), and are left out.
        if r["area_code"] in GBA_AREAS and r["area_code"] != "810000" and value != "" \
                and int(value) >= 0:
            rows.append([r["date"], r["area_code"], "covid19", "cases", value])
    return rows


def dengue(src):
    """OpenDengue monthly dengue in Hong Kong (local cases), 2002-2025. Guangdong's dengue comes
    from the provincial monthly reports above, one source per series."""
    rows = []
    path = os.path.join(src, "gba_dengue/opendengue_gba_dengue.csv")
    for r in csv.DictReader(open(path)):
        if r["time_resolution"] != "Month" or r["dengue_cases"] == "":
            continue
        if r["adm0"] != "HONG KONG" or r["adm1"] != "":
            continue
        rows.append([r["start_date"][:7] + "-01", "810000", "dengue", "cases",
                     str(int(float(r["dengue_cases"])))])
    return rows


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, "hk_influenza_weekly.csv"), hk_flu(src))
    write(os.path.join(out, "hk_covid19_daily.csv"), hk_covid(src))
    write(os.path.join(out, "gd_notifiable_monthly.csv"), gd_monthly(src))
    write(os.path.join(out, "gba_covid19_daily_2020.csv"), gba_covid_2020(src))
    write(os.path.join(out, "hk_dengue_monthly.csv"), dengue(src))


if __name__ == "__main__":
    main()
