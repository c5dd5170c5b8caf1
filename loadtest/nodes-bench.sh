#!/usr/bin/env bash
# Scale-out benchmark: event append throughput and append-to-delivery latency with two gateway
# nodes on one PostgreSQL (appends through node A, streams read through node B), next to one node
# on PostgreSQL and one node on the embedded SQLite store, all measured in the same run. Prints one
# table and writes it to the "Scale-out" section of docs/benchmarks.md.
#
# Usage: loadtest/nodes-bench.sh
# Settings (environment, defaults in brackets):
#   SESSIONS [200]  STREAMS_PER_SESSION [5]  RATE [500] appends/s  MEASURE_SECONDS [30]  WARMUP_SECONDS [5]
#   SATURATION_SECONDS [15]  GATEWAY_JAVA_OPTS ["-Xms512m -Xmx512m"]  WRITE_DOCS [1]  SKIP_BUILD [0]
#   BASE_PORT [19950]
#
# Each configuration gets a fresh store. The client is StreamsBench (see streams-bench.sh): it opens
# SESSIONS x STREAMS_PER_SESSION event streams, primes every session (its agent starts a model call
# that the mock answers only after the run, so later messages cost commits and deliveries, not
# turns), appends user.messages open loop at RATE/s and measures each delivery; then it appends closed
# loop with 64 in flight for SATURATION_SECONDS to measure the most appends per second acknowledged.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=loadtest/lib.sh
source "$ROOT/loadtest/lib.sh"

SESSIONS=${SESSIONS:-200}
STREAMS_PER_SESSION=${STREAMS_PER_SESSION:-5}
RATE=${RATE:-500}
SECONDS_=${MEASURE_SECONDS:-30}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
SATURATION_SECONDS=${SATURATION_SECONDS:-15}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-"-Xms512m -Xmx512m"}
WRITE_DOCS=${WRITE_DOCS:-1}
SKIP_BUILD=${SKIP_BUILD:-0}
BASE_PORT=${BASE_PORT:-19950}
MOCK_PORT=$((BASE_PORT + 1))
PORT_A=$((BASE_PORT + 2))
PORT_B=$((BASE_PORT + 3))
KEY=bench
MODEL_LATENCY_MS=600000

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
init_work nodes-bench "${KEEP_WORK:-0}"

build_classpath

# PostgreSQL (embedded binaries, one database per configuration) and the mock model.
java -Xmx256m -cp "$CP" dev.junction.bench.PostgresForBench one_node two_nodes >"$WORK/postgres.log" 2>&1 &
PIDS+=($!)
for ((i = 0; i < 600; i++)); do
  PG_PORT=$(sed -n 's/^postgres on port //p' "$WORK/postgres.log")
  [[ -n $PG_PORT ]] && break
  sleep 0.1
done
[[ -n ${PG_PORT:-} ]] || { echo "PostgreSQL did not start:" >&2; cat "$WORK/postgres.log" >&2; exit 1; }
start_mock "$MODEL_LATENCY_MS"

write_bench_routes

# Starts a node as a child of this shell: $1 name; sets NODE_PID.
start_node() {
  # shellcheck disable=SC2086 # GATEWAY_JAVA_OPTS is a list of JVM flags
  env -u ANTHROPIC_BASE_URL -u OPENAI_BASE_URL -u QWEN_BASE_URL -u JUNCTION_DATABASE_URL JUNCTION_API_KEYS="$KEY:bench" \
    BENCH_ANTHROPIC_KEY=mock JUNCTION_NODE_ID="$1" \
    java $GATEWAY_JAVA_OPTS -jar target/junction.jar serve --config "$WORK/$1.yaml" >"$WORK/$1.log" 2>&1 &
  NODE_PID=$!
  PIDS+=("$NODE_PID")
}

RESULTS=$WORK/results.md
: >"$RESULTS"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')

# Runs one configuration: $1 label, $2 append port, $3 stream port, then the pids of its nodes.
run_config() {
  local label=$1 append_port=$2 stream_port=$3
  shift 3
  local out
  out=$WORK/$(tr -c 'a-zA-Z0-9' '_' <<<"$label").out
  echo "== $label" >&2
  if ! java -Xms1g -Xmx1g -XX:+UseParallelGC -cp "$CP" dev.junction.bench.StreamsBench 127.0.0.1 "$append_port" "$KEY" \
      "$SESSIONS" "$STREAMS_PER_SESSION" "$RATE" "$SECONDS_" "$WARMUP_SECONDS" 0 "$stream_port" "$SATURATION_SECONDS" \
      >"$out" 2>&1; then
    echo "the run failed:" >&2
    tail -20 "$out" >&2
    exit 1
  fi
  grep -E '^(streams:|saturation:)' "$out" | sed 's/^/   /' >&2
  local row p50 p99 p999 stamp_p99 sat ack99
  row=$(grep -F '| append → delivery, from the POST' "$out")
  p50=$(awk -F'|' '{ gsub(/ /, "", $4); print $4 }' <<<"$row")
  p99=$(awk -F'|' '{ gsub(/ /, "", $5); print $5 }' <<<"$row")
  p999=$(awk -F'|' '{ gsub(/ /, "", $6); print $6 }' <<<"$row")
  stamp_p99=$(grep -F '| append → delivery, from `processed_at`' "$out" | awk -F'|' '{ gsub(/ /, "", $5); print $5 }')
  sat=$(sed -n 's/^RESULT saturation_per_s=\([0-9]*\).*/\1/p' "$out")
  ack99=$(sed -n 's/^RESULT saturation_per_s=.* ack_p99_ms=\([0-9.]*\).*/\1/p' "$out")
  echo "| $label | $p50 | $p99 | $p999 | $stamp_p99 | $sat | $ack99 |" >>"$RESULTS"
  # stopped before the next configuration, which takes their ports
  stop_pids "$@"
}

# 1. One node, embedded SQLite.
node_config sqlite "$PORT_A" "store: { data_dir: $WORK/sqlite-data, synchronous: NORMAL }"
start_node sqlite; wait_port "$PORT_A" sqlite
run_config "1 node, SQLite (embedded)" "$PORT_A" "$PORT_A" "$NODE_PID"

# 2. One node, PostgreSQL.
node_config pg-one "$PORT_A" "store: { type: postgres, url: \"postgresql://postgres@127.0.0.1:$PG_PORT/one_node\", pool_size: 8, data_dir: $WORK/pg-one }"
start_node pg-one; wait_port "$PORT_A" pg-one
run_config "1 node, PostgreSQL" "$PORT_A" "$PORT_A" "$NODE_PID"

# 3. Two nodes, PostgreSQL: appends through A, streams through B.
PG2="store: { type: postgres, url: \"postgresql://postgres@127.0.0.1:$PG_PORT/two_nodes\", pool_size: 8, data_dir: $WORK/pg-two }"
node_config node-a "$PORT_A" "$PG2"
node_config node-b "$PORT_B" "$PG2"
start_node node-a; PID_A=$NODE_PID; wait_port "$PORT_A" node-a
start_node node-b; PID_B=$NODE_PID; wait_port "$PORT_B" node-b
run_config "2 nodes, PostgreSQL: append via A, stream via B" "$PORT_A" "$PORT_B" "$PID_A" "$PID_B"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

TABLE=$WORK/table.md
{
  echo "| configuration | append → delivery p50 (ms) | p99 (ms) | p99.9 (ms) | p99 from \`processed_at\` (ms) | saturation (appends/s acknowledged) | ack p99 at saturation (ms) |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  cat "$RESULTS"
} >"$TABLE"
echo
cat "$TABLE"

if [[ $WRITE_DOCS == 1 ]]; then
  SECTION=$WORK/section.md
  {
    echo "## Scale-out: two nodes on PostgreSQL"
    echo
    echo "**What.** \`loadtest/nodes-bench.sh\` runs three configurations one after the other in one go, each on a"
    echo "fresh store: one gateway node on the embedded SQLite store (\`synchronous: NORMAL\`), one node on"
    echo "PostgreSQL, and two nodes on one PostgreSQL where every append goes to node A and every stream is read"
    echo "from node B, so each delivery crosses nodes (commit on A, \`NOTIFY\`, B reads the events from the log"
    echo "and fans them out). PostgreSQL is the embedded binaries the tests use (\`PostgresForBench\`, PostgreSQL 14,"
    echo "with the library's default server settings)."
    echo "Nodes are \`target/junction.jar serve\` with \`$GATEWAY_JAVA_OPTS\`. The client (\`StreamsBench\`) opens"
    echo "$SESSIONS sessions × $STREAMS_PER_SESSION streams, primes every session once (its agent starts a model call the mock"
    echo "answers only after the run), then appends one \`user.message\` at a time at $RATE/s open loop for"
    echo "$WARMUP_SECONDS s (not counted) + $SECONDS_ s, measuring every delivery from the append's intended send time;"
    echo "then appends closed loop with 64 in flight for $SATURATION_SECONDS s: the appends per second acknowledged"
    echo "(each also delivered to $STREAMS_PER_SESSION streams) is the saturation figure."
    echo
    echo "**Machine.** \`nproc\` = $(nproc); $(lscpu | sed -n "s/^Model name: *//p"); $(java -version 2>&1 | sed -n 2p)."
    echo "Run started $STARTED; load average $LOAD_BEFORE before and $LOAD_AFTER after. Everything (nodes,"
    echo "PostgreSQL, the mock and the client) shares the $(nproc) cores, so two nodes here means less CPU per node,"
    echo "not more capacity: the two-node row shows the cost of crossing nodes, not the gain of adding one."
    echo
    echo "**Command.** \`SESSIONS=$SESSIONS STREAMS_PER_SESSION=$STREAMS_PER_SESSION RATE=$RATE MEASURE_SECONDS=$SECONDS_ SATURATION_SECONDS=$SATURATION_SECONDS loadtest/nodes-bench.sh\`"
    echo
    cat "$TABLE"
    echo
  } >"$SECTION"
  write_benchmarks_section "$SECTION" "## Scale-out: two nodes on PostgreSQL"
fi
