#!/usr/bin/env bash
# Herald benchmarks in one command: builds this module (only this one; the other modules come from
# ~/.m2, installed by the main build) and runs the harness. Options: see BENCHMARKS.md or --help.
#   benchmarks/run.sh                        # full default run (9–10 min)
#   benchmarks/run.sh --runs 1 --duration 2s --warmup 1s   # smoke run
#   benchmarks/run.sh --scenario audience --parts tracking --load-generator java  # tracking load from inside the JVM
#                                                    # (default: wrk in its own process when installed: apt-get install -y wrk)
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

# Build this module, then take a private copy of the Herald jars it runs (other modules are
# reinstalled into ~/.m2 while people work; a jar replaced under a running JVM breaks it). Both
# under the lock every Maven build on this machine takes, so no install lands halfway.
snapshot_jars() {
  local dir=benchmarks/target/herald-jars entry classpath=benchmarks/target/classes
  rm -rf "$dir" && mkdir -p "$dir"
  IFS=: read -r -a entries < benchmarks/target/classpath.txt
  for entry in "${entries[@]}"; do
    case "$entry" in
      */io/herald/*) cp "$entry" "$dir/" && entry="$dir/$(basename "$entry")" ;;
    esac
    classpath="$classpath:$entry"
  done
  # an argument file keeps the command line short and free of the application's jar names
  # (a `pkill -f api-gateway` aimed at a running Herald spares the benchmark)
  echo "-cp $classpath" > benchmarks/target/bench-classpath.args
}
export -f snapshot_jars
if [[ "${BENCH_SKIP_BUILD:-}" != "1" ]]; then
  flock /tmp/herald-maven.lock bash -c './mvnw -q -B -pl benchmarks package -DskipTests && snapshot_jars'
else
  flock /tmp/herald-maven.lock bash -c snapshot_jars
fi

exec "$JAVA_HOME/bin/java" \
  -Xms1g -Xmx2g ${BENCH_JAVA_OPTS:-} \
  -Daxoniq.update-checker.disabled=true -Daxoniq.update-check.disabled=true \
  -Ddisable-axoniq-console-message=true \
  @benchmarks/target/bench-classpath.args \
  io.herald.bench.BenchmarkMain --scenario create-campaign "$@"
