#!/usr/bin/env python3
"""Write a synthetic surveillance-count CSV for the ingestion benchmark.

Usage: gen_counts.py ROWS OUT.csv

Realistic shape: every region of the Greater Bay Area x 20 diseases x 5 age groups x 2 sexes,
daily from 2020-01-01, as many days as ROWS needs. Fixed seed: the same file every time.
"""
import datetime
import random
import sys

REGIONS = ["440000", "440100", "440300", "440400", "440600", "440700", "441200", "441300",
           "441900", "442000", "810000"] + ["HK-" + c for c in "ABCDEFGHJKLMNPQRST"] + \
          ["820000", "MO-FAT", "MO-ANT", "MO-LAZ", "MO-SE", "MO-LOU", "MO-CAR", "MO-XAV", "MO-COT"]
DISEASES = ["influenza", "dengue", "hfmd", "measles", "scarlet_fever", "mumps", "rubella",
            "pertussis", "chickenpox", "tuberculosis", "infectious_diarrhea",
            "bacterial_dysentery", "acute_hemorrhagic_conjunctivitis", "japanese_encephalitis",
            "malaria", "hepatitis_a", "hepatitis_e", "hfrs", "leptospirosis", "typhoid_paratyphoid"]
AGES = ["0-4", "5-14", "15-44", "45-64", "65+"]
SEXES = ["female", "male"]


def main():
    rows, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(20241123)
    strata = [(r, d, a, s) for r in REGIONS for d in DISEASES for a in AGES for s in SEXES]
    day = datetime.date(2020, 1, 1)
    written = 0
    with open(out, "w") as f:
        f.write("date,region,disease,measure,value,age_group,sex\n")
        while written < rows:
            iso = day.isoformat()
            for r, d, a, s in strata:
                if written == rows:
                    break
                f.write(f"{iso},{r},{d},cases,{rng.randrange(40)},{a},{s}\n")
                written += 1
            day += datetime.timedelta(days=1)


if __name__ == "__main__":
    main()
