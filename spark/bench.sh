#!/usr/bin/env bash
# Data-parallel training speed on a standalone cluster of one-core workers on this machine
# (W1b and W2 on 1 and 2 workers; SCALE.md and BENCHMARKS.md quote its table).
#   spark/bench.sh            build the spark module (and what it needs), then run
#   spark/bench.sh --no-build reuse the last build
# Output: spark/target/scale-bench.md (and stdout). Wrap it in flock when others share the machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
if [ "${1:-}" != "--no-build" ]; then
  ./mvnw -q -B -o -pl spark -am package -DskipTests -Dspotless.check.skip=true
  # In one reactor build, so rnn4j's own modules come from their target/classes, never from ~/.m2;
  # the spark module is the reactor's last, so its classpath is the file's final content.
  ./mvnw -q -B -o -pl spark -am test-compile dependency:build-classpath -Dspotless.check.skip=true \
    -Dmdep.includeScope=test -Dmdep.outputFile="$here/target/test-classpath.txt" >/dev/null
fi
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export SPARK_LOCAL_IP=127.0.0.1
opts="-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector"
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
    java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opts="$opts --add-opens=java.base/$p=ALL-UNNAMED"
done
java -Xmx3g $opts -Dio.netty.tryReflectionSetAccessible=true \
  -cp "$here/target/test-classes:$here/target/classes:$(cat "$here/target/test-classpath.txt")" \
  org.rnn4j.spark.bench.ScaleBenchmark "$here/target/spark-home" "$here/target/rnn4j-spark-0.1.0-SNAPSHOT-app.jar" \
  "$here/target/scale-bench.md" 2> "$here/target/scale-bench.log"
