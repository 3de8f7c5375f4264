#!/usr/bin/env bash
# Start-up time of the release distribution's launcher: unpacks the archive that `./mvnw package`
# built into a fresh folder and times `bin/rnn4j --version` (no engine starts) RUNS times.
#   distribution/scripts/startup.sh [RUNS]     (default 20; build first: ./mvnw -B -q package -DskipTests)
# Prints every wall time in ms, then the median and the maximum. Run it alone on the machine
# (flock the shared lock) so nothing else competes for the cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-20}"
shopt -s nullglob
zips=("$root"/distribution/target/rnn4j-*.zip)
[ ${#zips[@]} -eq 1 ] || { echo "startup.sh: expected one distribution/target/rnn4j-*.zip, found ${#zips[@]}; run ./mvnw package" >&2; exit 2; }
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
unzip -q "${zips[0]}" -d "$dir"
launcher=("$dir"/rnn4j-*/bin/rnn4j)
"${launcher[0]}" --version >/dev/null   # first run: page the jars into the OS cache
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  "${launcher[0]}" --version >/dev/null
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000000 )))
done
echo "${zips[0]##*/}: bin/rnn4j --version, $runs runs, wall ms: ${times[*]}"
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "median ${sorted[$(( runs / 2 ))]} ms, max ${sorted[$(( runs - 1 ))]} ms ($(nproc) cores, $(java -version 2>&1 | head -1))"
