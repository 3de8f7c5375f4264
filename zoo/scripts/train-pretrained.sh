#!/usr/bin/env bash
# Trains the zoo models whose weights ship inside the rnn4j-zoo jar, so `rnn4j forecast --zoo`
# and `rnn4j generate --zoo` work without training first. Deterministic: same seed, same engine,
# same machine -> the same weights. Run from the repository root:
#   zoo/scripts/train-pretrained.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
dest=zoo/src/main/resources/org/rnn4j/zoo/pretrained
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

./rnn4j train --zoo stock-simple-rnn --backend tf --seed 42 --epochs 20 --no-progress --out "$tmp/stock-simple-rnn"
./rnn4j train --zoo char-embedding-lstm --backend tf --seed 42 --epochs 5 --no-progress --out "$tmp/char-embedding-lstm"

for m in stock-simple-rnn char-embedding-lstm; do
  mkdir -p "$dest/$m"
  cp "$tmp/$m/model.json" "$tmp/$m/weights.bin" "$tmp/$m/rnn4j.json" "$dest/$m/"
  cp "$tmp/$m/evaluation.json" "$dest/$m/evaluation.json"
done
du -sh "$dest"/*
