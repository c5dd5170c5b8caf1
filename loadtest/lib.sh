# Helpers shared by proxy-bench.sh, streams-bench.sh and nodes-bench.sh, which source this file once
# they are in the repository root (ROOT). Each script keeps its own settings, ports, configurations and
# measurements; here is what they all do the same way: a scratch directory, the processes they start
# and stop, the build, waiting for a port, the mock upstream and their section of docs/benchmarks.md.
#
#   init_work NAME [KEEP]   Makes the scratch directory WORK (/tmp/NAME.XXXXXX), starts an empty PIDS
#                           list (every background process the script starts goes on it) and sets the
#                           traps: cleanup on exit, exit 130 on INT or TERM. KEEP=1 leaves WORK in place.
#   cleanup                 The exit trap: stops every process in PIDS, newest first, then removes WORK
#                           (unless init_work was given KEEP=1).
#   stop_pids PID...        Kills the given processes, then waits until each has exited (so their ports
#                           are free again).
#   build_classpath         Unless SKIP_BUILD=1, packages the gateway jar and compiles the tests; then
#                           sets CP to the classes, the test classes and the test classpath (for the
#                           mock upstream and the bench clients).
#   wait_port PORT NAME     Waits (at most 60 s) until something listens on 127.0.0.1:PORT; if nothing
#                           does, prints $WORK/NAME.log and exits the script with status 1.
#   start_mock LATENCY_MS [PREFIX...]
#                           Starts the mock upstream (MockUpstream, its own JVM, log $WORK/mock.log) on
#                           MOCK_PORT, answering after LATENCY_MS, run through PREFIX when given (e.g.
#                           taskset -c 1); puts it on PIDS and waits for its port.
#   write_bench_routes      Writes $WORK/routes/bench.yaml: one route that sends the requested model to
#                           its provider with timeouts of 30 min (the session benches' mock model may
#                           answer only after the run).
#   node_config NAME PORT STORE
#                           Writes $WORK/NAME.yaml, a gateway config for the session benches: listening
#                           on PORT, the store block STORE (one YAML line), the routes of
#                           write_bench_routes and the mock as the anthropic provider, with a pool of
#                           SESSIONS + 64 connections so every session's model call is in flight at once.
#   write_benchmarks_section FILE TITLE
#                           Puts the markdown in FILE into docs/benchmarks.md in place of the section
#                           headed TITLE (up to the next "## " heading), or appends it when there is none.

init_work() {
  WORK=$(mktemp -d "/tmp/$1.XXXXXX")
  KEEP_WORK_DIR=${2:-0}
  PIDS=()
  trap cleanup EXIT
  trap 'exit 130' INT TERM
}

cleanup() {
  local i reversed=()
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    reversed+=("${PIDS[i]}")
  done
  stop_pids "${reversed[@]}"
  [[ $KEEP_WORK_DIR == 1 ]] || rm -rf "$WORK"
}

stop_pids() {
  local pid
  for pid in "$@"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "$@"; do
    wait "$pid" 2>/dev/null || true
  done
}

build_classpath() {
  if [[ $SKIP_BUILD != 1 ]]; then
    echo "building..." >&2
    mvn -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt \
      -Dmdep.includeScope=test >/dev/null
    mvn -B -q test-compile >/dev/null
  fi
  CP="target/classes:target/test-classes:$(cat target/test-cp.txt)"
}

# A TCP connect, so a mock with a long answer time counts as up as soon as it listens.
wait_port() {
  local port=$1 name=$2 i
  for ((i = 0; i < 600; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "$name did not come up; its log:" >&2
  cat "$WORK/$name.log" >&2 || true
  exit 1
}

start_mock() {
  local latency=$1
  shift
  "$@" java -Xms256m -Xmx256m -XX:+UseParallelGC -cp "$CP" dev.junction.bench.MockUpstream "$MOCK_PORT" "$latency" \
    >"$WORK/mock.log" 2>&1 &
  PIDS+=($!)
  wait_port "$MOCK_PORT" mock
}

write_bench_routes() {
  mkdir -p "$WORK/routes"
  cat >"$WORK/routes/bench.yaml" <<EOF
routes:
  - name: bench
    try: [requested]
    timeouts: { first_token: 30m, attempt: 30m, total: 30m }
EOF
}

node_config() {
  cat >"$WORK/$1.yaml" <<EOF
server: { host: 127.0.0.1, port: $2, event_loops: 0 }
$3
routes: $WORK/routes
providers:
  anthropic:
    kind: anthropic
    base_url: "http://127.0.0.1:$MOCK_PORT"
    api_key: "env:BENCH_ANTHROPIC_KEY"
    max_connections: $((SESSIONS + 64))
    timeouts: { first_token: 30m, idle: 30m, total: 30m }
EOF
}

write_benchmarks_section() {
  python3 - "$ROOT/docs/benchmarks.md" "$1" "$2" <<'EOF'
import re, sys
doc_path, section_path, title = sys.argv[1], sys.argv[2], sys.argv[3]
doc = open(doc_path, encoding="utf-8").read()
section = open(section_path, encoding="utf-8").read()
start = doc.find(title + "\n")
if start < 0:
    doc = doc.rstrip("\n") + "\n\n" + section
else:
    nxt = re.search(r"^## ", doc[start + len(title):], re.M)
    end = start + len(title) + nxt.start() if nxt else len(doc)
    doc = doc[:start] + section + ("\n" + doc[end:] if nxt else "")
open(doc_path, "w", encoding="utf-8").write(doc.rstrip("\n") + "\n")
EOF
  echo "wrote the section to docs/benchmarks.md" >&2
}
