#!/usr/bin/env bash
# Herald benchmarks in one command: builds this module (only this one; the other modules come from
# ~/.m2, installed by the main build) and runs the harness. Options: see BENCHMARKS.md or --help.
#   benchmarks/run.sh                        # full default run (~8 min)
#   benchmarks/run.sh --runs 1 --duration 2s --warmup 1s   # smoke run
# Environment: BENCH_JAVA_OPTS (extra JVM options, e.g. a JFR recording), BENCH_SKIP_BUILD=1,
# BENCH_JAVA_HOME (a JDK 21+; default /usr/lib/jvm/temurin-25-jdk-amd64).
set -euo pipefail
cd "$(dirname "$0")/.."

# Java 21+ is needed (the default java here is 17)
if [[ -z "${BENCH_JAVA_HOME:-}" ]]; then
  if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
    BENCH_JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
  else
    BENCH_JAVA_HOME=${JAVA_HOME:-}
  fi
fi
export JAVA_HOME="$BENCH_JAVA_HOME"

if [[ "${BENCH_SKIP_BUILD:-}" != "1" ]]; then
  # flock: never at the same time as another Maven build on this machine
  flock /tmp/herald-maven.lock ./mvnw -q -B -pl benchmarks package -DskipTests
fi

# The classpath goes through an argument file, so the process's command line stays short and does
# not name the application's jars (a `pkill -f api-gateway` aimed at a running Herald spares it).
echo "-cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" > benchmarks/target/bench-classpath.args

exec "$JAVA_HOME/bin/java" \
  -Xms1g -Xmx2g ${BENCH_JAVA_OPTS:-} \
  -Daxoniq.update-checker.disabled=true -Daxoniq.update-check.disabled=true \
  -Ddisable-axoniq-console-message=true \
  @benchmarks/target/bench-classpath.args \
  io.herald.bench.BenchmarkMain --scenario create-campaign "$@"
