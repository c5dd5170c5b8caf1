#!/usr/bin/env bash
# Agent-loop benchmark: N sessions running multi-step turns at once against a mock model with a fixed
# latency; prints the gateway-side time per activation and per turn (p50/p90/p99/max).
# Usage: loadtest/agent-loop.sh [sessions=1000] [turns=3] [latencyMs=50] [synchronous=NORMAL] [thinkMs=0]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test >/dev/null
mvn -B -q test-compile >/dev/null
exec java -Xms1g -Xmx1g -XX:+UseParallelGC -cp "target/classes:target/test-classes:$(cat target/test-cp.txt)" \
  dev.junction.bench.AgentLoopBench "${1:-1000}" "${2:-3}" "${3:-50}" "${4:-NORMAL}" "${5:-0}"
