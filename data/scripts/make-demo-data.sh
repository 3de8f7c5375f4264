#!/usr/bin/env bash
# Rebuilds the demo data shipped in data/src/main/resources/org/rnn4j/data/demo/ (see NOTICE and
# org.rnn4j.data.DemoData) and checks that the result matches the committed files byte for byte.
#
#   sp500-2000.csv  vega-datasets 3.2.1 data/sp500-2000.csv, unchanged: daily S&P 500 (Yahoo Finance),
#                   2000-01-03 .. 2020-04-17, header + 5,105 rows (the last line has no newline)
#   stocks.csv      vega-datasets 3.2.1 data/stocks.csv, unchanged and whole: monthly AAPL, AMZN, GOOG,
#                   IBM, MSFT prices 2000-01 .. 2010-03, header + 560 rows (AMZN: 123 rows)
#   kjv.txt         King James Bible (public domain) printed by Debian's bible-kjv 4.38 with
#                   `bible -f gen1:1-rev22:21`: 31,102 verses, one per line, 4,404,412 bytes of ASCII.
#                   That is under the 4.5 MB limit, so the whole text is kept (no prefix cut).
#
# Needs: npm (registry access), tar, sha256sum, and `apt-get install bible-kjv` (Debian/Ubuntu).
# Usage: data/scripts/make-demo-data.sh [--check]   (--check compares without writing)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
DEST="$HERE/../src/main/resources/org/rnn4j/data/demo"
CHECK_ONLY=${1:-}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

declare -A SHA256=(
  [sp500-2000.csv]=9409e9342d0657c747324e4cfabce8a8c7f663bc485b95a3378f36b0a160f8c8
  [stocks.csv]=f9953ac6693e587476b4ebf2f0b00d9bb95371ca8c39da4cc6155077b3e417cd
  [kjv.txt]=cd45f0c9cedab8e4439bd6486c8952c77cc8b0ecc5d1f6ae3513f2039f47229d
)
MAX_TEXT_BYTES=4500000
PREFIX_BYTES=1500000

cd "$WORK"

# --- vega-datasets 3.2.1 (BSD-3-Clause package; data from Yahoo Finance) ---
npm pack vega-datasets@3.2.1 --silent >/dev/null
tar xzf vega-datasets-3.2.1.tgz package/data/sp500-2000.csv package/data/stocks.csv
cp package/data/sp500-2000.csv package/data/stocks.csv .

# --- King James Bible from Debian's bible-kjv ---
if ! command -v bible >/dev/null; then
  echo "the 'bible' command is missing: apt-get update && apt-get install -y bible-kjv" >&2
  exit 1
fi
version=$(dpkg-query -W -f='${Version}' bible-kjv-text 2>/dev/null || echo unknown)
if [[ "$version" != "4.38" ]]; then
  echo "warning: bible-kjv-text is $version, the committed text came from 4.38; the checksum may differ" >&2
fi
# COLUMNS does not change -f output when stdout is not a terminal; unset it anyway for reproducibility.
env -u COLUMNS bible -f gen1:1-rev22:21 > kjv.txt
size=$(stat -c %s kjv.txt)
if (( size > MAX_TEXT_BYTES )); then
  # Keep whole lines only: the first ~1.5 MB.
  head -c "$PREFIX_BYTES" kjv.txt | sed '$d' > kjv.prefix && mv kjv.prefix kjv.txt
  echo "kjv.txt was $size bytes (> $MAX_TEXT_BYTES); kept a prefix of $(stat -c %s kjv.txt) bytes" >&2
fi

# --- check and install ---
status=0
for f in sp500-2000.csv stocks.csv kjv.txt; do
  actual=$(sha256sum "$f" | cut -d' ' -f1)
  if [[ "$actual" != "${SHA256[$f]}" ]]; then
    echo "$f: sha256 $actual differs from the committed ${SHA256[$f]}" >&2
    status=1
  fi
  rows=$(grep -c '' "$f")
  echo "$f: $(stat -c %s "$f") bytes, $rows lines"
done
echo "sp500-2000.csv data rows: $(( $(grep -c '' sp500-2000.csv) - 1 )) (expected 5105)"
echo "stocks.csv AMZN rows: $(grep -c '^AMZN,' stocks.csv) (expected 123)"

if [[ "$CHECK_ONLY" == "--check" ]]; then
  exit $status
fi
mkdir -p "$DEST"
cp sp500-2000.csv stocks.csv kjv.txt "$DEST/"
echo "wrote $DEST"
exit $status
