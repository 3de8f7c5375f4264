#!/usr/bin/env bash
# ND4J's other native builds of nd4j-native 1.0.0-M2.1 against the plain one, on this CPU (issue 20):
# the matmul peak (dl4j-baseline: ND4J's 2 op / 2 BLAS threads here) and W2 through rnn4j-dl4j, each
# build in its own JVMs, run back to back. Needs the classifier jars in ~/.m2 (fetched once, online):
#   ./mvnw -q dependency:get -Dartifact=org.nd4j:nd4j-native:1.0.0-M2.1:jar:linux-x86_64-avx2 -Dtransitive=false
#   ./mvnw -q dependency:get -Dartifact=org.nd4j:nd4j-native:1.0.0-M2.1:jar:linux-x86_64-onednn-avx2 -Dtransitive=false
# and a built benchmarks module (benchmarks/target/classpath.txt). OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are
# left as the environment has them. RNN4J_BENCH_LOCK=<file> takes flock around each JVM.
# Results: benchmarks/results/<UTC date-time>-nd4j-builds.jsonl (one line per run, "native_build" names the build).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/.."
stamp="$(date -u +%Y-%m-%dT%H%MZ)"
out="$here/results/$stamp-nd4j-builds.jsonl"
logs="$here/target/bench-logs/$stamp-nd4j-builds"
mkdir -p "$logs"
: > "$out"
locked() { if [ -n "${RNN4J_BENCH_LOCK:-}" ]; then flock "$RNN4J_BENCH_LOCK" "$@"; else "$@"; fi; }
base_cp="$(cat "$here/target/classpath.txt")"
plain_jar="nd4j-native-1.0.0-M2.1-linux-x86_64.jar"
for build in "" -avx2 -onednn-avx2; do
  jar="nd4j-native-1.0.0-M2.1-linux-x86_64$build.jar"
  cp="$here/target/classes:${base_cp//$plain_jar/$jar}"
  for run in "matmul dl4j-baseline" "W2 rnn4j-dl4j"; do
    set -- $run
    args=""
    [ "$1" = W2 ] && args="--epochs 20 --warmup 1 --timed 3 --batches 4 --tail-batches 2"
    echo "nd4j-builds.sh: $1 $2 linux-x86_64$build" >&2
    # shellcheck disable=SC2086
    locked timeout 300 java -Xmx1g -XX:+UseSerialGC -XX:+IgnoreUnrecognizedVMOptions -XX:TrimNativeHeapInterval=1000 \
      -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Dorg.bytedeco.javacpp.platform.extension="$build" -cp "$cp" \
      org.rnn4j.bench.Harness --workload "$1" --impl "$2" --variant "nd4j$build" $args \
      2> "$logs/$1-$2$build.log" | grep '^{' >> "$out" || echo "nd4j-builds.sh: $1 $2 $build failed; see $logs" >&2
  done
done
echo "nd4j-builds.sh: results in $out" >&2
