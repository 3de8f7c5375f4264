#!/usr/bin/env bash
# The whole benchmark set in one command (12-16 minutes on the 2-core machines of BENCHMARKS.md, build included):
#   benchmarks/run.sh              build once, then every (workload, implementation) in a fresh JVM
#   benchmarks/run.sh --no-build   reuse the last build
#   benchmarks/run.sh --only tf    only the TensorFlow rows (or: --only dl4j)
#   benchmarks/run.sh --jmh        also JMH's inference benchmarks (about 2 more minutes per implementation)
# Results: benchmarks/results/<UTC date-time>.jsonl (one JSON line per run) and .md (the tables);
# each JVM's stderr goes to benchmarks/target/bench-logs/<date-time>/.
# Environment:
#   MVN                 the Maven command (default: ./mvnw -q -B)
#   RNN4J_BENCH_LOCK    a file to flock around the build and every run, so nothing else runs beside them
#   BENCH_JAVA_OPTS     JVM options of every run (default below: bounded heap, serial GC)
#   OMP_NUM_THREADS     unset by default, so each side runs with its own default: rnn4j-dl4j 1 ND4J thread
#                       (Dl4jRuntime), dl4j-baseline ND4J's one per core; dl4j-baseline-1t pins 1 thread itself
set -euo pipefail
run_started=$(date +%s)
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

build=1
only=""
jmh=0
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --only) only="$2"; shift ;;
    --jmh) jmh=1 ;;
    *) echo "run.sh: unknown option '$1' (known: --no-build, --only tf|dl4j, --jmh)" >&2; exit 2 ;;
  esac
  shift
done

locked() {
  if [ -n "${RNN4J_BENCH_LOCK:-}" ]; then flock "$RNN4J_BENCH_LOCK" "$@"; else "$@"; fi
}

# TensorFlow reads its log level once, when its native library loads.
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
# ND4J's allocator refuses to grow past a multiple of -Xmx (counting TensorFlow's and its own native
# memory); 0 lifts that cap so the heap can stay small and rnn4j-dl4j's W2 (about 6 GB resident) runs.
# -XX:TrimNativeHeapInterval (JDK 17.0.9+; ignored where unknown) hands freed native memory back to
# the OS every second, as ./rnn4j does: without it the JIT compiler's one-time working memory (about
# 20 MB, freed after compiling) stays resident and shows as "growth" between epochs 5 and 20.
java_opts="${BENCH_JAVA_OPTS:--Xmx1g -XX:+UseSerialGC -XX:+IgnoreUnrecognizedVMOptions -XX:TrimNativeHeapInterval=1000 -Dorg.bytedeco.javacpp.maxPhysicalBytes=0}"

if [ "$build" = 1 ]; then
  echo "run.sh: building benchmarks and cli..." >&2
  # shellcheck disable=SC2086
  # No Javadoc jars, source jars, format check or coverage agent: verify makes and checks those; here they cost
  # 40 of the 85 seconds of a build after a source change (2026-12-07) and no row uses them.
  locked ${MVN:-./mvnw -q -B} -pl benchmarks,cli -am install -DskipTests \
    -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -Dspotless.check.skip=true -Djacoco.skip=true >&2
fi

stamp="$(date -u +%Y-%m-%dT%H%MZ)"
mkdir -p "$here/results" "$here/target/bench-logs/$stamp"
results="$here/results/$stamp.jsonl"
logs="$here/target/bench-logs/$stamp"
# rnn4j-tf autotunes its recurrence forms on the first batch of each shape and keeps the choice in the
# user's cache folder; every run starts from an empty one here, so each JVM pays (and shows, in its
# first batch and warm-up) the timing a user's first run pays, and no earlier run's choice carries over.
export RNN4J_CACHE_DIR="$logs/cache"
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
: > "$results"

# One JVM per (workload, implementation). Both sides of every ratio warm up and time alike:
#   --warmup K untimed epochs, --timed T timed epochs of --batches B batches (0 = the full epoch),
#   then, for the rnn4j rows, "tail" epochs of --tail-batches batches up to epoch 20 (memory is read after
#   epochs 5 and 20; epochs that --warmup-seconds adds to the warm-up go in front, and the rest moves along).
# W2's and DL4J's warm-ups also last at least --warmup-seconds of training. W2's epochs here are a few
# batches, and after one of them the JIT was still compiling 150-180 methods a second (-XX:+PrintCompilation,
# rnn4j-dl4j, 2026-12-06), so the timed epochs read a rate 15% under the one the later epochs ran at; W1 on
# rnn4j-dl4j read 4,100-5,000 samples/s after 60 batches of warm-up and 7,400-9,200 after 375 (by hand, same
# minutes). TensorFlow's W1 and W1b rows do their Java work in fewer, larger calls (W1: 20 + 20 epochs); W1b's
# rnn4j-tf row, whose first epoch is mostly autotuning, still climbed from a median 5,408 samples/s in its timed
# epochs to 6,116 in its later ones after one warm-up epoch alone (2026-12-07T0758Z), so W1b on TF warms up for
# 3 s too (since round sixteen).
# Reduced epochs keep the whole set near 15 minutes (14.7-16.2 in rounds thirteen to fifteen); BENCHMARKS.md states them.
# W1's rnn4j rows run full epochs (125 batches) on both engines, so their memory is read after epochs 5 and
# 20 as the target means them: with 20-batch epochs, DL4J's epoch 5 came after 100 batches, inside its
# warm-up growth (+4% to +13% in rounds eight and nine; manual.sh soak: it levels off after 1,200-2,800 batches).
# The hand-written baselines run no tail epochs: only the rnn4j rows have memory targets, and the baselines'
# tails took 3.8-3.9 of round nine's minutes (MultiLayerNetwork's W2 and W1b, at 30-40 samples/s, 2.0-2.1).
declare -A protocol=(
  [W1:tf]="--epochs 40 --warmup 20 --timed 20"
  [W1b:tf]="--epochs 20 --warmup 1 --warmup-seconds 3 --timed 3 --tail-batches 25"
  [W2:tf]="--epochs 20 --warmup 1 --warmup-seconds 5 --timed 2 --batches 16 --tail-batches 4"
  [W1:dl4j]="--epochs 20 --warmup 3 --warmup-seconds 5 --timed 3"
  [W1b:dl4j]="--epochs 20 --warmup 3 --warmup-seconds 5 --timed 3 --batches 10 --tail-batches 2"
  [W2:dl4j]="--epochs 20 --warmup 1 --warmup-seconds 5 --timed 3 --batches 4 --tail-batches 2"
  [P:tf]="--seconds 3 --repeats 5000"
  [gen:tf]="--seconds 6 --repeats 1000"
  [P:dl4j]="--seconds 3 --repeats 5000"
)
# The baselines' own protocol where it differs from the rnn4j row's without its tail: W1's DL4J baselines run
# full epochs and three timed ones like the rnn4j row, after two or three warm-up ones (MultiLayerNetwork's W1
# epoch takes 1.7-3.4 s).
declare -A baseline_protocol=(
  [W1:dl4j]="--epochs 5 --warmup 2 --warmup-seconds 5 --timed 3"
)
# Rows with a variant label (threads, cores, determinism) compare rates only: the same warm-up and timed
# epochs, no tail epochs (their memory is not read), which leaves time to repeat the core-ratio rows.
declare -A variant_protocol=(
  [W1b:tf]="--epochs 4 --warmup 1 --warmup-seconds 3 --timed 3"
  [W2:tf]="--epochs 3 --warmup 1 --warmup-seconds 5 --timed 2 --batches 16"
  [W2:dl4j]="--epochs 5 --warmup 2 --warmup-seconds 5 --timed 3 --batches 4"
)

# --interleaved rows: rounds of --batches batches of each form in turn (0 = a full epoch), after each form's
# warm-up of --warmup-seconds, for --seconds and then up to a whole cycle of the round order (Harness.interleave):
# W1 rounds of a full epoch (125 batches, about 0.1 s) of 3 forms, W1b of 25 batches (about 0.25 s) of 5 forms,
# W2 of 3 batches (about 0.6 s) of 5 forms; with 5 forms a cycle is 10 rounds.
declare -A interleaved_protocol=(
  [W1]="--batches 0 --warmup-seconds 2 --seconds 5"
  [W1b]="--batches 25 --warmup-seconds 2 --seconds 10"
  [W2]="--batches 3 --warmup-seconds 3 --seconds 20"
)

no_tail() { # protocol options -> the same without tail epochs (--epochs = --warmup + --timed)
  local a=("$@") out=() i warmup=1 timed=0 # Harness's defaults
  for ((i = 0; i < ${#a[@]}; i++)); do
    case "${a[i]}" in --warmup) warmup="${a[i + 1]}" ;; --timed) timed="${a[i + 1]}" ;; esac
  done
  for ((i = 0; i < ${#a[@]}; i++)); do
    case "${a[i]}" in
      --epochs)
        if [ "$timed" -gt 0 ]; then out+=(--epochs $((warmup + timed))); else out+=(--epochs "${a[i + 1]}"); fi
        i=$((i + 1)) ;;
      --tail-batches) i=$((i + 1)) ;;
      *) out+=("${a[i]}") ;;
    esac
  done
  echo "${out[*]}"
}

run_one() { # workload impl [extra java options] [variant label] [command prefix, e.g. taskset -c 0]
  local workload="$1" impl="$2" extra="${3:-}" variant="${4:-}" prefix="${5:-}" engine
  case "$impl" in *tf*) engine=tf ;; *) engine=dl4j ;; esac
  local args="${protocol[$workload:$engine]:-}"
  # shellcheck disable=SC2086 # the protocol's options are meant to split
  case "$impl" in rnn4j-*) ;; *) args="${baseline_protocol[$workload:$engine]:-$(no_tail $args)}" ;; esac
  [ -n "$variant" ] && args="${variant_protocol[$workload:$engine]:-$args} --variant $variant"
  [ "$variant" = interleaved ] && args="${interleaved_protocol[$workload]:?no interleaved protocol for $workload} --interleaved --variant $variant"
  local log="$logs/$workload-$impl${extra:+-${extra//[^a-zA-Z0-9]/}}${variant:+-$variant}.log"
  [ -e "$log" ] && log="${log%.log}-again.log"
  echo "run.sh: $workload $impl $args $extra ${prefix:+(under: $prefix)}" >&2
  # The hand-written TensorFlow code (its rows, and gen's and the interleaved rows' JVMs, which run it beside rnn4j-tf) gets
  # TensorFlow's oneDNN kernels as a user who knows TF_ENABLE_ONEDNN_OPTS sets them; rnn4j-tf turns
  # them on itself (TfOneDnn). A value in the caller's environment (even an empty one) is passed on.
  local onednn=""
  case "$impl:$workload:$variant" in tf-baseline*|*:gen:*|*:interleaved) onednn="env TF_ENABLE_ONEDNN_OPTS=${TF_ENABLE_ONEDNN_OPTS-1}" ;; esac
  local started out rc=0
  started=$(date +%s)
  # shellcheck disable=SC2086
  out="$(locked $prefix $onednn timeout 300 java $java_opts $extra -cp "$cp" org.rnn4j.bench.Harness --workload "$workload" --impl "$impl" $args 2>"$log")" || rc=$?
  local line
  line="$(printf '%s\n' "$out" | grep '^{' | tail -1 || true)"
  if [ -z "$line" ]; then
    local flag="" # the report tells an interleaved row by this, as in the harness's own lines
    [ "$variant" = interleaved ] && flag='"interleaved":true,'
    line="{\"workload\":\"$workload\",\"impl\":\"$impl\",${variant:+\"variant\":\"$variant\",}$flag\"error\":\"exit $rc without a result; see $log\"}"
  fi
  printf '%s\n' "$line" >> "$results"
  echo "run.sh:   done in $(( $(date +%s) - started )) s" >&2
}

seconds_of() { # command...: wall seconds of one run, as a decimal
  local s e
  s=$(date +%s%N)
  "$@" > /dev/null 2>&1 || return $?
  e=$(date +%s%N)
  awk -v n=$(( e - s )) 'BEGIN { printf "%.3f", n / 1e9 }'
}

engines="tf dl4j"
[ -n "$only" ] && engines="$only"
for engine in $engines; do
  if [ "$engine" = tf ]; then
    run_one matmul tf-baseline
    run_one matmul tf-baseline "-Drnn4j.tf.intraOpThreads=$(nproc 2>/dev/null || echo 2)"
    # Every hand-written form (TensorFlow has no fused SimpleRNN, so W1 has no block form); rnn4j-tf is
    # held against the fastest per workload. The gate-major LSTM runs on W2, where autotuning found it
    # fastest (round fifteen); on W1b it timed slowest of the unrolled forms, and P's steps are the same in
    # every form.
    for w in W1 W1b W2 P; do
      run_one "$w" tf-baseline
      run_one "$w" tf-baseline-plain
      [ "$w" != W1 ] && run_one "$w" tf-baseline-block
      [ "$w" = W2 ] && run_one "$w" tf-baseline-gate-major
      run_one "$w" rnn4j-tf
    done
    # The generation step target's own measurement: rnn4j-tf and every hand-written form in one JVM, round by round
    # (the P rows above read the same step in separate JVMs, 0.94x to 1.15x of each other in rounds nine and ten).
    run_one gen rnn4j-tf
    # The training targets' own measurement: rnn4j-tf and every hand-written form of each workload in one JVM,
    # round by round. Separate JVMs minutes apart read one W1b graph up to 1.8x apart (round fifteen), more than
    # any margin measured; the rows above give each form's own rate, memory and first batch. rnn4j-tf tunes
    # afresh here: the environment's TF_ENABLE_ONEDNN_OPTS (below) is part of the tuning key.
    run_one W1 rnn4j-tf "" interleaved
    run_one W1b rnn4j-tf "" interleaved
    run_one W2 rnn4j-tf "" interleaved
    # Threads and cores: W2 on one core (taskset), and with as many intra-op threads as cores. The core ratio
    # compares the best of two "2core" runs (the default settings again) with the best 1-core run, all next to
    # each other, since the machine's speed drifts by more than the target's margin within minutes (0620Z).
    run_one W2 rnn4j-tf "" 1core "taskset -c 0"
    run_one W2 tf-baseline-plain "" 1core "taskset -c 0"
    run_one W2 rnn4j-tf "-Drnn4j.tf.intraOpThreads=$(nproc 2>/dev/null || echo 2)" intra-all
    run_one W2 rnn4j-tf "-Drnn4j.tf.interOpThreads=1" 1core-inter1 "taskset -c 0"
    run_one W2 rnn4j-tf "" 2core
    run_one W2 rnn4j-tf "-Drnn4j.tf.interOpThreads=1" 1core-inter1 "taskset -c 0"
    run_one W2 rnn4j-tf "" 1core "taskset -c 0"
    run_one W2 rnn4j-tf "" 2core
    # --deterministic: one intra-op thread (the default here) and no autotuning (the measured rule's forms).
    run_one W1b rnn4j-tf "-Drnn4j.deterministic=true" deterministic
    run_one W2 rnn4j-tf "-Drnn4j.deterministic=true" deterministic
  else
    run_one matmul dl4j-baseline
    run_one matmul dl4j-baseline-1t
    for w in W1 W1b W2 P; do run_one "$w" dl4j-baseline; run_one "$w" dl4j-baseline-1t; run_one "$w" rnn4j-dl4j; done
    run_one W2 rnn4j-dl4j "" 1core "taskset -c 0"
    run_one W2 rnn4j-dl4j "" 2core
    run_one W2 rnn4j-dl4j "" 2core
    run_one W2 rnn4j-dl4j "" 1core "taskset -c 0"
  fi
done

# Start-up targets, with the JVM line ./rnn4j execs (its own staleness check, which may rebuild, is left out).
cli_cp="$root/cli/target/classes:$(cat "$root/cli/target/classpath.txt")"
cli() { java ${RNN4J_JAVA_OPTS:--Xmx3g -XX:+UseSerialGC -XX:+IgnoreUnrecognizedVMOptions -XX:TrimNativeHeapInterval=1000} -Djava.awt.headless=true -cp "$cli_cp" org.rnn4j.cli.Main "$@"; }
best=""
for _ in 1 2 3; do
  s="$(locked bash -c "$(declare -f seconds_of cli); cli_cp='$cli_cp'; seconds_of cli summary '$root/examples/specs/lstm_50.json'")"
  best="$(awk -v a="$s" -v b="${best:-1e9}" 'BEGIN { print (a < b ? a : b) }')"
done
echo "{\"workload\":\"cli-summary\",\"impl\":\"rnn4j\",\"spec\":\"examples/specs/lstm_50.json\",\"seconds\":$best,\"note\":\"best of 3 cold JVMs\"}" >> "$results"
scratch="$(mktemp -d)"
rc=0
s="$(cd "$scratch" && locked bash -c "$(declare -f seconds_of cli); cli_cp='$cli_cp'; seconds_of cli train --zoo stock-simple-rnn")" || rc=$?
echo "{\"workload\":\"readme-train\",\"impl\":\"rnn4j\",\"command\":\"rnn4j train --zoo stock-simple-rnn\",\"seconds\":${s:-0},\"exit\":$rc}" >> "$results"
rm -rf "$scratch"

if [ "$jmh" = 1 ]; then
  echo "run.sh: JMH inference benchmarks..." >&2
  # shellcheck disable=SC2086
  # JMH's forks run rnn4j-tf and the hand-written graph alike: the same oneDNN kernels for both.
  locked env TF_ENABLE_ONEDNN_OPTS="${TF_ENABLE_ONEDNN_OPTS-1}" java $java_opts -cp "$cp" org.rnn4j.bench.jmh.InferenceJmh --json "$here/results/$stamp-jmh.json" >"$logs/jmh.log" 2>&1 || true
fi

echo "{\"workload\":\"run\",\"impl\":\"run.sh\",\"seconds\":$(( $(date +%s) - run_started )),\"note\":\"start to report, build included unless --no-build\",\"build\":$build}" >> "$results"
java -cp "$cp" org.rnn4j.bench.Report "$results" | tee "$here/results/$stamp.md"
echo "run.sh: results in $results" >&2
