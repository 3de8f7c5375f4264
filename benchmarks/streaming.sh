#!/usr/bin/env bash
# Training from data larger than memory (issue 13), each case in a fresh JVM with a 1 GB heap:
#   benchmarks/streaming.sh              build, then every case
#   benchmarks/streaming.sh --no-build   reuse the last build
#   benchmarks/streaming.sh --only series|text|prefetch|precision
# Generated inputs (a 50,000,000-row AR(1) CSV of about 550 MB, a 1 GiB text) and their caches go
# to benchmarks/target/streaming-data/ (never into git; made once, reused while present).
# Results: benchmarks/results/<UTC date-time>-streaming.jsonl (one JSON line per case).
# Environment: MVN, RNN4J_BENCH_LOCK (a file to flock around the build and every run), BENCH_JAVA_OPTS,
#   STREAM_ROWS (default 50000000), STREAM_TEXT_BYTES (default 1073741824).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

build=1
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --only) only="$2"; shift ;;
    *) echo "streaming.sh: unknown option '$1' (known: --no-build, --only CASE)" >&2; exit 2 ;;
  esac
  shift
done

locked() {
  if [ -n "${RNN4J_BENCH_LOCK:-}" ]; then flock "$RNN4J_BENCH_LOCK" "$@"; else "$@"; fi
}

export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
java_opts="${BENCH_JAVA_OPTS:--Xmx1g -XX:+UseSerialGC -XX:+IgnoreUnrecognizedVMOptions -XX:TrimNativeHeapInterval=1000 -Dorg.bytedeco.javacpp.maxPhysicalBytes=0}"

if [ "$build" = 1 ]; then
  echo "streaming.sh: building benchmarks..." >&2
  # shellcheck disable=SC2086
  locked ${MVN:-./mvnw -q -B} -pl benchmarks -am package -DskipTests >&2
fi

stamp="$(date -u +%Y-%m-%dT%H%MZ)"
mkdir -p "$here/results" "$here/target/bench-logs/$stamp"
results="$here/results/$stamp-streaming.jsonl"
logs="$here/target/bench-logs/$stamp"
data="$here/target/streaming-data"
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
: > "$results"

declare -A args=(
  [precision]="--rows ${STREAM_ROWS:-50000000}"
  [series]="--rows ${STREAM_ROWS:-50000000} --warmup 500 --timed 5000 --rounds 5"
  [text]="--text-bytes ${STREAM_TEXT_BYTES:-1073741824} --warmup 30 --timed 150 --rounds 3"
  [prefetch]="--rounds 30"
)

for c in series precision text prefetch; do
  [ -n "$only" ] && [ "$only" != "$c" ] && continue
  echo "streaming.sh: $c ${args[$c]}" >&2
  started=$(date +%s)
  # The inputs are generated (once) inside the run; only the JSON line goes to the results.
  # shellcheck disable=SC2086
  out="$(locked java $java_opts -cp "$cp" org.rnn4j.bench.stream.StreamingBench --case "$c" --dir "$data" ${args[$c]} 2>"$logs/$c.log")" || {
    echo "streaming.sh: $c failed; see $logs/$c.log" >&2
    printf '{"case":"%s","error":"see %s"}\n' "$c" "$logs/$c.log" >> "$results"
    continue
  }
  printf '%s\n' "$out" | grep '^{' | tail -1 >> "$results"
  echo "streaming.sh:   done in $(( $(date +%s) - started )) s" >&2
done
echo "streaming.sh: results in $results" >&2
