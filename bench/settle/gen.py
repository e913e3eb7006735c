#!/usr/bin/env python3
"""Synthetic inputs for bench/settle/run.sh (fixed seed): a test insurer with its rules, voucher
holders and insured members, March factors and reference rates, and N claims, half charged to the
voucher scheme at HKU-Shenzhen Hospital and half to the insurer. Not real people or rates."""
import random
import sys

n, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(20240301)
holders = max(1, n // 10)

def write(name, text):
    with open(f"{out}/{name}", "w") as f:
        f.write(text)

write("payers.csv", "code,jurisdiction,kind,currency,name_en,name_zh,source\n"
      "HK-INS,HK,insurer,HKD,Bench insurer,,bench fixture\n")
write("terms.csv", "payer,valid_from,residents,claim_limit,deadline_days,rounding,source\n"
      "HK-INS,2020-01-01,HK,5000.00,90,half-up,bench fixture\n")
write("items.csv", "payer,valid_from,category,copay_bp,limit,alone\n"
      "HK-INS,2020-01-01,outpatient,2000,,1\nHK-INS,2020-01-01,dental,0,1000.00,1\n")
members = ["payer,patient,residence,birth_year,valid_from,valid_to"]
for h in range(holders):
    members.append(f"HK-EHCV,V{h},HK,{rng.randint(1930, 1958)},2014-01-01,")
    members.append(f"HK-INS,I{h},HK,{rng.randint(1950, 2000)},2020-01-01,")
write("members.csv", "\n".join(members) + "\n")
write("rates.csv", "kind,base,quote,valid_from,rate,source\n"
      "ehcv-factor,CNY,HKD,2024-03-01,1.0870,bench fixture\n"
      "reference,HKD,CNY,2024-02-28,0.9150,bench fixture\n")
rows = ["provider,episode,patient,payer,currency,service_date,mainland_insured,item,category,"
        "quantity,unit_price"]
for i in range(n):
    day = f"2024-03-{rng.randint(1, 3):02d}"
    if i % 2 == 0:
        who, payer = f"V{rng.randrange(holders)}", "HK-EHCV"
    else:
        who, payer = f"I{rng.randrange(holders)}", "HK-INS"
    for k in range(rng.randint(1, 3)):
        cat = rng.choice(["outpatient", "dental"])
        rows.append(f"GD-HKUSZH,B{i},{who},{payer},CNY,{day},0,item{k},{cat},1,"
                    f"{rng.randint(50, 600)}.{rng.randint(0, 99):02d}")
write("claims.csv", "\n".join(rows) + "\n")
