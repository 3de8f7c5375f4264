#!/usr/bin/env bash
# Manual programs (not part of run.sh), each in its own JVM on the benchmarks classpath:
#   benchmarks/manual.sh soak <tf|dl4j> [epochs=200]     resident memory every 20 epochs of training
#   benchmarks/manual.sh memory <tf|dl4j> [steps=500]    resident memory every 50 program-level steps
#   benchmarks/manual.sh windowing                        1,000,000 points windowed lazily under -Xmx64m
#   benchmarks/manual.sh forms <W1|W1b|W2> <batches> <rounds> <form|base:form>...
#                                                         rnn4j-tf's forms (and hand-written graphs) interleaved in one JVM
#   benchmarks/manual.sh matmul-shapes                    TF MatMul at W2's shapes, every transpose flag, one thread
#   benchmarks/manual.sh step-costs [calls] [rounds]      a W2 generation step: hand-written, rnn4j's, and their floors
#   benchmarks/manual.sh dl4j-cores                       rnn4j-dl4j's W2 on 1 and 2 cores: products, element-wise calls,
#                                                         batch halves, processes vs threads
#   benchmarks/manual.sh jars <old.jar> <impl> <workload> <rounds> [Harness options]
#                                                         a module's jar from before a change against the one built now,
#                                                         alternated round by round, on 1 core (taskset -c 0) and on 2;
#                                                         <old.jar> has the file name of the module jar it stands in for
# Add --no-build first to reuse the last build. RNN4J_BENCH_LOCK=<file> makes the build and the run
# take flock on it (a machine shared with other builds).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

build=1
if [ "${1:-}" = "--no-build" ]; then build=0; shift; fi
usage="usage: benchmarks/manual.sh [--no-build] soak|memory <tf|dl4j> [count] | windowing | forms <workload> <batches> <rounds> <form>... | matmul-shapes | step-costs [calls] [rounds] | dl4j-cores | jars <old.jar> <impl> <workload> <rounds> [Harness options]"
program="${1:-}"
[ -n "$program" ] || { echo "$usage" >&2; exit 2; }
shift

locked() {
  if [ -n "${RNN4J_BENCH_LOCK:-}" ]; then flock "$RNN4J_BENCH_LOCK" "$@"; else "$@"; fi
}

# The JVM options run.sh gives every Harness row.
harness_jvm="-Xmx1g -XX:+UseSerialGC -XX:+IgnoreUnrecognizedVMOptions -XX:TrimNativeHeapInterval=1000 -Dorg.bytedeco.javacpp.maxPhysicalBytes=0"
case "$program" in
  soak) main=org.rnn4j.bench.manual.SoakRun; heap="-Xmx1g -XX:+UseSerialGC" ;;
  memory) main=org.rnn4j.bench.manual.MemoryPerStep; heap="-Xmx1g -XX:+UseSerialGC" ;;
  windowing) main=org.rnn4j.bench.manual.WindowingBenchmark; heap="-Xmx64m" ;;
  matmul-shapes) main=org.rnn4j.bench.manual.MatmulShapes; heap="-Xmx1g" ;;
  dl4j-cores) main=org.rnn4j.bench.manual.Dl4jCoreCosts; heap="$harness_jvm" ;;
  step-costs) main=org.rnn4j.bench.tf.GenerationStepCosts; heap="-Xmx1g -XX:+UseSerialGC -Dorg.bytedeco.javacpp.maxPhysicalBytes=0" ;;
  jars) main=org.rnn4j.bench.Harness; heap="$harness_jvm" ;;
  forms) main=org.rnn4j.bench.manual.FormComparison; heap="-Xmx3g -XX:+UseSerialGC -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Drnn4j.autotune=false" ;;
  *) echo "manual.sh: unknown program '$program'; $usage" >&2; exit 2 ;;
esac
case "$program" in
  dl4j-cores)
    [ $# -eq 0 ] || { echo "manual.sh: dl4j-cores takes no arguments; $usage" >&2; exit 2; }
    [ "$(nproc)" -ge 2 ] || { echo "manual.sh: dl4j-cores needs 2 cores, this machine has $(nproc)" >&2; exit 2; } ;;
  jars)
    [ $# -ge 4 ] || { echo "manual.sh: jars needs <old.jar> <impl> <workload> <rounds>; $usage" >&2; exit 2; }
    [ -f "$1" ] || { echo "manual.sh: no jar at '$1'; copy the module's jar aside before the change" >&2; exit 2; }
    [[ "$4" =~ ^[1-9][0-9]{0,2}$ ]] || { echo "manual.sh: rounds must be a whole number from 1 to 999, got '$4'" >&2; exit 2; }
    [ "$(nproc)" -ge 2 ] || { echo "manual.sh: jars runs on 1 and 2 cores, this machine has $(nproc)" >&2; exit 2; } ;;
  soak|memory)
    case "${1:-}" in
      tf|dl4j) ;;
      *) echo "manual.sh: $program needs an engine, tf or dl4j; $usage" >&2; exit 2 ;;
    esac
    if [ -n "${2:-}" ] && ! [[ "$2" =~ ^[1-9][0-9]{0,6}$ ]]; then
      echo "manual.sh: the count must be a whole number from 1 to 9999999, got '$2'" >&2; exit 2
    fi ;;
esac

if [ "$build" = 1 ]; then
  echo "manual.sh: building benchmarks..." >&2
  # shellcheck disable=SC2086
  locked ${MVN:-./mvnw -q -B} -pl benchmarks -am package -DskipTests >&2
fi
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
# TensorFlow's oneDNN kernels for hand-written and rnn4j code alike, as run.sh gives them (the TF
# backend sets the variable itself); a value the caller exports, =0 for Eigen's kernels, is kept.
export TF_ENABLE_ONEDNN_OPTS="${TF_ENABLE_ONEDNN_OPTS-1}"
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
if [ "$program" = dl4j-cores ]; then
  # shellcheck disable=SC2206 # the options in $heap are meant to split
  j=(java $heap -cp "$cp" "$main")
  echo "# one core (taskset -c 0)"
  locked taskset -c 0 "${j[@]}" gemm
  locked taskset -c 0 "${j[@]}" ops
  locked taskset -c 0 "${j[@]}" batches 64 32
  echo "# two JVMs at once, one core each (taskset -c 0, taskset -c 1)"
  both() { # the second JVM's failure and the first's both count; the first never outlives the script
    taskset -c 0 "${j[@]}" batches 64 &
    local first=$!
    trap 'kill "$first" 2>/dev/null || true' EXIT
    local second=0
    taskset -c 1 "${j[@]}" batches 64 || second=$?
    wait "$first"
    trap - EXIT
    return "$second"
  }
  if [ -n "${RNN4J_BENCH_LOCK:-}" ]; then
    exec 9>"$RNN4J_BENCH_LOCK"
    flock 9
    both
    flock -u 9
  else
    both
  fi
  echo "# one JVM, two cores"
  locked "${j[@]}" models 2
  locked "${j[@]}" split 64
  exit 0
fi
if [ "$program" = jars ]; then
  old="$1" impl="$2" workload="$3" rounds="$4"
  shift 4
  name="$(basename "$old")"
  new="$(tr ':' '\n' <<<"$cp" | grep -m1 "/$name\$" || true)"
  [ -n "$new" ] || { echo "manual.sh: no jar named $name on the benchmarks classpath" >&2; exit 2; }
  echo "# $impl $workload: old = $old, new = $new"
  for r in $(seq 1 "$rounds"); do
    for which in old new; do
      if [ "$which" = old ]; then jar="$old"; else jar="$new"; fi
      for cores in 1 2; do
        pin=()
        if [ "$cores" = 1 ]; then pin=(taskset -c 0); fi
        # shellcheck disable=SC2086 # the options in $heap are meant to split
        line="$(locked "${pin[@]}" java $heap -cp "${cp//$new/$jar}" "$main" --workload "$workload" --impl "$impl" "$@" | tail -n 1)"
        rate="$(grep -o '"samples_per_s_median":[0-9.]*' <<<"$line" | cut -d: -f2 || true)" # none for P
        echo "round $r $which ${cores} core(s): ${rate:-?} samples/s"
        echo "$line"
      done
    done
  done
  exit 0
fi
# shellcheck disable=SC2086
locked java $heap -cp "$cp" "$main" "$@"
