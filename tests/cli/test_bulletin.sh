#!/bin/sh
# Bulletin PDFs in traditional and simplified Chinese render Chinese text: page 1 rasterised with
# pdftoppm is not blank, and pdftotext finds the Chinese words.
. "$(dirname "$0")/lib.sh"

"$HB" db migrate --db "$DB" 2>/dev/null
cat >"$WORK/flu.csv" <<CSV
date,region,disease,measure,value
2019-12-08,810000,influenza,positives,150
2019-12-15,810000,influenza,positives,276
2019-12-22,810000,influenza,positives,346
2019-12-22,440100,influenza,cases,1290
2019-12-15,440100,influenza,cases,1100
CSV
"$HB" ingest --db "$DB" "$WORK/flu.csv" >/dev/null

page_not_blank() {
    pdftoppm -r 50 -gray -f 1 -l 1 "$1" "$WORK/page" || fail "pdftoppm $1"
    python3 - "$WORK"/page*.pgm <<'PY' || fail "page 1 of $1 is blank"
import sys
data = open(sys.argv[1], "rb").read()
# P5 header: magic, width height, maxval, then the pixels
parts = data.split(b"\n", 3)
pixels = parts[3]
dark = sum(1 for b in pixels if b < 128)
sys.exit(0 if dark > 500 else 1)  # a blank page has none
PY
    rm -f "$WORK"/page*.pgm
}

"$HB" bulletin --db "$DB" --date 2019-12-28 --jurisdiction HK --lang zh-Hant --format pdf -o "$WORK/hk.pdf"
page_not_blank "$WORK/hk.pdf"
pdftotext "$WORK/hk.pdf" "$WORK/hk.txt"
grep -q "香港特別行政區" "$WORK/hk.txt" || fail "zh-Hant text: $(head -c 300 "$WORK/hk.txt")"
grep -q "疫情概況" "$WORK/hk.txt" || fail "zh-Hant heading"
grep -q "陽性檢測數" "$WORK/hk.txt" || fail "zh-Hant measure"

"$HB" bulletin --db "$DB" --date 2019-12-28 --jurisdiction GD --lang zh-Hans --format pdf --edition weekly -o "$WORK/gd.pdf"
page_not_blank "$WORK/gd.pdf"
pdftotext "$WORK/gd.pdf" "$WORK/gd.txt"
grep -q "广东省" "$WORK/gd.txt" || fail "zh-Hans text: $(head -c 300 "$WORK/gd.txt")"
grep -q "每周传染病疫情通报" "$WORK/gd.txt" || fail "zh-Hans title"
grep -q "广州市" "$WORK/gd.txt" || fail "zh-Hans region name"

# HTML and JSON on standard output; usage errors exit 2.
"$HB" bulletin --db "$DB" --date 2019-12-28 --jurisdiction MO --lang pt | grep -q '<html lang="pt">' || fail "html"
"$HB" bulletin --db "$DB" --date 2019-12-28 --format json | python3 -c 'import json,sys; json.load(sys.stdin)' || fail "json"
expect_exit 2 "$HB" bulletin --db "$DB" --date 2019-02-30
expect_exit 2 "$HB" bulletin --db "$DB" --date 2019-12-28 --lang fr
expect_exit 2 "$HB" bulletin --db "$DB"
grep -q -- "--date is required" "$WORK/err" || fail "missing --date message"
exit 0
