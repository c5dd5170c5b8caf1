#!/usr/bin/env bash
# Agent-loop benchmark: N sessions running multi-step turns at once against a mock model with a fixed
# latency; prints the gateway-side time per activation and per turn (p50/p90/p99/max) and the CPU and
# allocation per turn.
# Usage: loadtest/agent-loop.sh [sessions=1000] [turns=6] [latencyMs=50] [synchronous=NORMAL] [thinkMs=0] [load=process] [warmupTurns=6]
#   load=process: the clients and the mock model run in a JVM of their own (default); load=inline: in the gateway's.
#   warmupTurns: unmeasured turns per session first, so that the JIT has compiled the hot paths.
# GATEWAY_GC: the gateway JVM's collector flags [-XX:+UseZGC] (ParallelGC's young pauses of 30-50 ms
#   every few seconds were the p99: see docs/benchmarks.md).
# LOAD_GC: the load JVM's [-XX:+UseSerialGC]: one collector thread, so that the load's own pauses do not
#   take both cores from the gateway while they last.
# SKIP_BUILD=1 reuses target/.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test >/dev/null
  mvn -B -q test-compile >/dev/null
fi
LOAD_GC=${LOAD_GC:--XX:+UseSerialGC} exec java -Xms1g -Xmx1g ${GATEWAY_GC:--XX:+UseZGC} -cp "target/classes:target/test-classes:$(cat target/test-cp.txt)" \
  dev.junction.bench.AgentLoopBench "${1:-1000}" "${2:-6}" "${3:-50}" "${4:-NORMAL}" "${5:-0}" "${6:-process}" "${7:-6}"
