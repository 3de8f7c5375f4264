#!/usr/bin/env bash
# Training cost over sequence length (issue 14), every row in a fresh JVM with the ./rnn4j launcher's heap:
#   benchmarks/long-sequences.sh              build, then GRU/LSTM/SimpleRNN(32) x lengths x engines
#   benchmarks/long-sequences.sh --no-build   reuse the last build
#   benchmarks/long-sequences.sh --only tf    one engine (or --only dl4j)
#   benchmarks/long-sequences.sh --lengths "100 1000"   other lengths (default: 100 1000 10000 100000)
# Each length row: peak resident memory (VmHWM) and seconds per time step of a training batch
# (batch 32; see org.rnn4j.bench.LongSequences). Each "ratio" row alternates epochs of 100 and
# 10,000 steps in one JVM, so the time ratio is measured side by side (robust to other load).
# Results: benchmarks/results/<UTC date-time>-long.jsonl and .md. RNN4J_BENCH_LOCK=<file> makes the
# build and every run take flock on it (a machine shared with other builds).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

build=1
engines="tf dl4j"
lengths="100 1000 10000 100000"
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --only) engines="$2"; shift ;;
    --lengths) lengths="$2"; shift ;;
    *) echo "long-sequences.sh: unknown option '$1' (known: --no-build, --only tf|dl4j, --lengths \"N ...\")" >&2; exit 2 ;;
  esac
  shift
done

locked() {
  if [ -n "${RNN4J_BENCH_LOCK:-}" ]; then flock "$RNN4J_BENCH_LOCK" "$@"; else "$@"; fi
}

export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
# The ./rnn4j launcher's JVM options (its default heap), plus ND4J's allocator cap lifted as in run.sh.
java_opts="${BENCH_JAVA_OPTS:--Xmx3g -XX:+UseSerialGC -XX:+IgnoreUnrecognizedVMOptions -XX:TrimNativeHeapInterval=1000 -Dorg.bytedeco.javacpp.maxPhysicalBytes=0}"

if [ "$build" = 1 ]; then
  echo "long-sequences.sh: building benchmarks..." >&2
  # shellcheck disable=SC2086
  locked ${MVN:-./mvnw -q -B} -pl benchmarks -am package -DskipTests >&2
fi

stamp="$(date -u +%Y-%m-%dT%H%MZ)"
mkdir -p "$here/results" "$here/target/bench-logs/$stamp-long"
results="$here/results/$stamp-long.jsonl"
logs="$here/target/bench-logs/$stamp-long"
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
: > "$results"

run() { # name args...
  local name="$1"; shift
  echo "long-sequences.sh: $name" >&2
  local started out rc=0
  started=$(date +%s)
  # shellcheck disable=SC2086
  out="$(locked java $java_opts -cp "$cp" org.rnn4j.bench.LongSequences "$@" 2>"$logs/$name.log")" || rc=$?
  if [ "$rc" = 0 ]; then
    echo "$out" | tail -1 >> "$results"
  else
    echo "{\"run\":\"$name\",\"error\":\"exit $rc after $(( $(date +%s) - started )) s; see $logs/$name.log\"}" >> "$results"
  fi
}

for engine in $engines; do
  for cell in gru lstm simple_rnn; do
    for steps in $lengths; do
      run "$engine-$cell-$steps" --impl "$engine" --cell "$cell" --steps "$steps"
    done
    run "$engine-$cell-ratio" --impl "$engine" --cell "$cell" --steps 10000 --ratio-against 100 --rounds 3
  done
done

java -cp "$cp" org.rnn4j.bench.LongSequences --report "$results" > "${results%.jsonl}.md"
cat "${results%.jsonl}.md"
