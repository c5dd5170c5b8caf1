package dev.junction.bench;

import dev.junction.app.Junction;
import dev.junction.config.ConfigLoader;
import dev.junction.config.JunctionConfig;
import dev.junction.harness.TurnTimings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Many sessions running multi-step turns at once against a mock model with a fixed latency. A turn is:
 * user message → model asks for the custom tool {@code lookup} → session idles (requires_action) →
 * the client answers → model answers → idle (end_turn). It reports the gateway-side time per runner
 * activation and per turn (wall time minus model time, measured inside the gateway), and the
 * client-observed turn time next to the model time it contains.
 *
 * <p>Each client waits a random think time (uniform in [0, 2 × thinkMs]) before each turn, so the
 * offered load is steady rather than every session firing at once.
 *
 * <p>The load (the clients and the mock model) runs in a JVM of its own by default ({@code load=process}),
 * so that its allocation and collections do not pause the gateway; it still shares the machine's cores.
 * {@code load=inline} runs it in the gateway's JVM, as earlier versions of this benchmark did.
 *
 * <pre>java -cp ... dev.junction.bench.AgentLoopBench [sessions=1000] [turns=6] [latencyMs=50] [synchronous=NORMAL] [thinkMs=0] [load=process] [warmupTurns=6]</pre>
 * The warm-up turns (per session, not measured) let the JIT finish compiling the hot paths first: with
 * one, the C2 compiler was still busy for a minute into the measured run, taking a core's tenth.
 */
public final class AgentLoopBench {
  private AgentLoopBench() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--load")) {
      loadProcess(args);
      return;
    }
    int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int turns = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    long latency = args.length > 2 ? Long.parseLong(args[2]) : 50;
    String sync = args.length > 3 ? args[3] : "NORMAL";
    long think = args.length > 4 ? Long.parseLong(args[4]) : 0;
    boolean inline = args.length > 5 && args[5].equals("inline");
    int warmupTurns = args.length > 6 ? Integer.parseInt(args[6]) : 6;

    Load load = null;
    Process child = null;
    java.io.BufferedReader fromChild = null;
    java.io.PrintStream toChild = null;
    int mockPort;
    if (inline) {
      load = Load.start(latency, think);
      mockPort = load.mockPort;
    } else {
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xms512m", "-Xmx512m"));
      command.addAll(List.of(System.getenv().getOrDefault("LOAD_GC", "-XX:+UseSerialGC").trim().split("\\s+")));
      command.addAll(List.of("-cp", System.getProperty("java.class.path"),
          AgentLoopBench.class.getName(), "--load", Long.toString(latency), Long.toString(think)));
      child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      fromChild = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      toChild = new java.io.PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8);
      mockPort = Integer.parseInt(expect(fromChild, "mock")[1]);
    }

    Path dir = Files.createTempDirectory("junction-bench");
    ObjectNode root = new ObjectMapper().valueToTree(Map.of(
        "server", Map.of("port", 0, "host", "127.0.0.1"),
        "routes", Path.of("routes").toAbsolutePath().toString(),
        "store", Map.of("synchronous", sync),
        "stream", Map.of("max_buffered_events", 100_000),
        "providers", Map.of("anthropic", Map.of("kind", "anthropic", "base_url", "http://127.0.0.1:" + mockPort,
            "api_key", "env:BENCH_KEY", "max_connections", 1024))));
    JunctionConfig config = new ConfigLoader(Map.of("JUNCTION_API_KEYS", "bench:bench", "BENCH_KEY", "k",
        "JUNCTION_DATA_DIR", dir.resolve("data").toString())).fromTree("bench", root, dir);
    Junction gateway = Junction.start(config, Clock.systemUTC()).toCompletionStage().toCompletableFuture().get();

    Set<Long> loadThreads = Set.of(Thread.currentThread().getId());
    if (inline) {
      load.connect(gateway.port(), sessions);
      loadThreads = Set.of(Thread.currentThread().getId(), threadOf(load.vertx), threadOf(load.mockVertx));
    } else {
      toChild.println("gateway " + gateway.port() + " " + sessions);
      expect(fromChild, "ready");
    }
    System.out.printf("gateway on :%d, mock upstream latency %d ms, %d sessions, synchronous=%s, think time %d ms, load %s%n",
        gateway.port(), latency, sessions, sync, think, inline ? "in the gateway's JVM" : "in a JVM of its own");

    if (inline) {
      load.run(warmupTurns, "warm-up");
    } else {
      toChild.println("warm-up " + warmupTurns);
      expect(fromChild, "warm");
    }
    // Runners record a turn when their last commit returns, which can be after the client saw its frame.
    Thread.sleep(2000);
    gateway.harnessTimings().reset();
    Map<Long, long[]> before = threadUsage();
    long cpu0 = processCpuNanos();
    long[] c;
    double seconds;
    double loadCpuPerTurn;
    if (inline) {
      long t0 = System.nanoTime();
      c = load.run(turns, "measured").stream().mapToLong(Long::longValue).sorted().toArray();
      seconds = (System.nanoTime() - t0) / 1e9;
      loadCpuPerTurn = Double.NaN;
    } else {
      toChild.println("measure " + turns);
      String[] done = expect(fromChild, "done");
      seconds = Double.parseDouble(done[1]);
      loadCpuPerTurn = Double.parseDouble(done[2]);
      c = java.util.Arrays.stream(done, 3, done.length).mapToLong(Long::parseLong).sorted().toArray();
    }
    long processCpu = processCpuNanos() - cpu0;
    long[] gatewayUse = new long[2];
    long[] loadUse = new long[2];
    Set<Long> load0 = loadThreads;
    threadUsage().forEach((id, now) -> {
      long[] was = before.getOrDefault(id, new long[2]);
      long[] into = load0.contains(id) ? loadUse : gatewayUse;
      into[0] += now[0] - was[0];
      into[1] += now[1] - was[1];
    });

    TurnTimings.Summary act = gateway.harnessTimings().activations();
    TurnTimings.Summary turn = gateway.harnessTimings().turns();
    System.out.println();
    System.out.printf("%-44s %10s %10s %10s %10s %10s%n", "measure", "count", "p50 ms", "p90 ms", "p99 ms", "max ms");
    row("gateway-side per activation (1 model call)", act);
    row("gateway-side per turn (2 activations)", turn);
    System.out.printf("%-44s %10d %10.3f %10.3f %10.3f %10.3f%n", "client-observed turn (incl. 2 x model)", c.length,
        pct(c, .5), pct(c, .9), pct(c, .99), c.length == 0 ? 0 : c[c.length - 1] / 1e6);
    System.out.printf("%-44s %10s %10.3f%n", "model time per turn (2 x fixed latency)", "", 2.0 * latency);
    System.out.printf("turns/s: %.0f over %.1f s%n", c.length / seconds, seconds);
    // Load-independent figures: what a turn costs in CPU and allocation, whatever else runs on the machine.
    double n = Math.max(1, c.length);
    if (inline) {
      System.out.printf("per turn: gateway threads %.3f ms CPU, %.1f KB allocated; driver + mock threads %.3f ms CPU, %.1f KB;"
              + " whole process (with GC and JIT) %.3f ms CPU%n", gatewayUse[0] / 1e6 / n, gatewayUse[1] / 1024.0 / n,
          loadUse[0] / 1e6 / n, loadUse[1] / 1024.0 / n, processCpu / 1e6 / n);
    } else {
      System.out.printf("per turn: gateway threads %.3f ms CPU, %.1f KB allocated; gateway process (with GC and JIT) %.3f ms CPU;"
              + " load process (driver + mock) %.3f ms CPU%n", gatewayUse[0] / 1e6 / n, gatewayUse[1] / 1024.0 / n,
          processCpu / 1e6 / n, loadCpuPerTurn);
    }
    if (inline) {
      load.close();
    } else {
      toChild.println("exit");
      child.waitFor(30, TimeUnit.SECONDS);
    }
    gateway.close().toCompletionStage().toCompletableFuture().get();
    System.exit(0);
  }

  /** Reads the child's lines until one starting with {@code word}; its words. */
  private static String[] expect(java.io.BufferedReader in, String word) throws java.io.IOException {
    String line;
    while ((line = in.readLine()) != null) {
      if (line.startsWith(word)) {
        return line.split(" ");
      }
      System.out.println(line);
    }
    throw new IllegalStateException("the load process ended before '" + word + "'");
  }

  /**
   * The load's JVM: starts the mock and prints its port, then follows the gateway JVM's commands on
   * stdin ({@code gateway <port> <sessions>}, {@code warm-up <turns>}, {@code measure <turns>}, {@code exit}).
   */
  private static void loadProcess(String[] args) throws Exception {
    Load load = Load.start(Long.parseLong(args[1]), Long.parseLong(args[2]));
    System.out.println("mock " + load.mockPort);
    java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] w = line.split(" ");
      switch (w[0]) {
        case "gateway" -> {
          load.connect(Integer.parseInt(w[1]), Integer.parseInt(w[2]));
          System.out.println("ready");
        }
        case "warm-up" -> {
          load.run(Integer.parseInt(w[1]), "warm-up");
          System.out.println("warm");
        }
        case "measure" -> {
          long cpu0 = processCpuNanos();
          long t0 = System.nanoTime();
          List<Long> times = new ArrayList<>(load.run(Integer.parseInt(w[1]), "measured"));
          double seconds = (System.nanoTime() - t0) / 1e9;
          StringBuilder sb = new StringBuilder("done ").append(seconds).append(' ')
              .append((processCpuNanos() - cpu0) / 1e6 / Math.max(1, times.size()));
          for (long t : times) {
            sb.append(' ').append(t);
          }
          System.out.println(sb);
        }
        case "exit" -> {
          load.close();
          System.exit(0);
        }
        default -> throw new IllegalStateException("unknown command " + line);
      }
    }
    System.exit(0);
  }

  /** The clients and the mock model. */
  private static final class Load {
    final Vertx mockVertx;
    final int mockPort;
    final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    final long think;
    HttpClient client;
    int gatewayPort;
    final List<String> ids = new ArrayList<>();

    private Load(Vertx mockVertx, int mockPort, long think) {
      this.mockVertx = mockVertx;
      this.mockPort = mockPort;
      this.think = think;
    }

    static Load start(long latency, long think) throws Exception {
      Vertx mockVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
      int port = MockUpstream.start(mockVertx, "127.0.0.1", 0, latency).toCompletionStage().toCompletableFuture().get().actualPort();
      return new Load(mockVertx, port, think);
    }

    /** Creates the agent, its environment and the sessions. */
    void connect(int port, int sessions) throws Exception {
      gatewayPort = port;
      client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(port).setKeepAlive(true).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(sessions + 64));
      String agent = post("/v1/agents", new JsonObject().put("name", "bench").put("model", "claude-mock")
          .put("tools", new JsonArray().add(new JsonObject().put("type", "custom").put("name", "lookup")
              .put("description", "Looks up an order").put("input_schema", new JsonObject().put("type", "object")))))
          .getString("id");
      String env = post("/v1/environments", new JsonObject().put("name", "bench")).getString("id");
      for (int i = 0; i < sessions; i++) {
        ids.add(post("/v1/sessions", new JsonObject().put("agent", agent).put("environment_id", env)).getString("id"));
      }
    }

    /** Drives every session through {@code turns} turns concurrently; returns client-observed turn times (ns). */
    ConcurrentLinkedQueue<Long> run(int turns, String label) throws Exception {
      ConcurrentLinkedQueue<Long> times = new ConcurrentLinkedQueue<>();
      CountDownLatch done = new CountDownLatch(ids.size());
      for (String id : ids) {
        vertx.runOnContext(v -> new Driver(this, id, turns, times, done).start());
      }
      if (!done.await(15, TimeUnit.MINUTES)) {
        throw new IllegalStateException(label + " did not finish");
      }
      return times;
    }

    RequestOptions opts() {
      return new RequestOptions().setHost("127.0.0.1").setPort(gatewayPort);
    }

    /**
     * Sends from the client's event loop. Issued from the main thread, a setup request now and then never
     * completed although the gateway had committed it (about one run in three hung here); from the
     * event loop, where the future callbacks run as the response arrives, none did.
     */
    JsonObject post(String path, JsonObject body) throws Exception {
      Promise<JsonObject> p = Promise.promise();
      vertx.runOnContext(v -> client.request(opts().setMethod(HttpMethod.POST).setURI(path).addHeader("x-api-key", "bench")
              .addHeader("content-type", "application/json"))
          .compose(req -> req.send(body.toBuffer())).compose(resp -> resp.body())
          .onComplete(ar -> {
            if (ar.failed()) {
              p.fail(ar.cause());
            } else {
              p.complete(new JsonObject(ar.result()));
            }
          }));
      return p.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    void close() throws Exception {
      if (client != null) {
        client.close();
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      mockVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** The id of the (single) event-loop thread of a Vert.x instance. */
  private static long threadOf(Vertx v) throws Exception {
    Promise<Long> id = Promise.promise();
    v.runOnContext(x -> id.complete(Thread.currentThread().getId()));
    return id.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** CPU nanoseconds and allocated bytes of every live thread, by thread id. */
  private static Map<Long, long[]> threadUsage() {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Map<Long, long[]> out = new HashMap<>();
    for (long id : mx.getAllThreadIds()) {
      long cpu = mx.getThreadCpuTime(id);
      long alloc = mx.getThreadAllocatedBytes(id);
      if (cpu >= 0 && alloc >= 0) {
        out.put(id, new long[] {cpu, alloc});
      }
    }
    return out;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static void row(String name, TurnTimings.Summary s) {
    System.out.printf("%-44s %10d %10.3f %10.3f %10.3f %10.3f%n", name, s.count(), s.p50() / 1e6, s.p90() / 1e6, s.p99() / 1e6,
        s.max() / 1e6);
  }

  private static double pct(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }

  /** One session's client: opens the stream, sends messages, answers the tool, counts turns. */
  private static final class Driver {
    private final Load load;
    private final HttpClient client;
    private final String id;
    private final ConcurrentLinkedQueue<Long> times;
    private final CountDownLatch done;
    private int left;
    private long turnStart;
    private io.vertx.core.http.HttpClientResponse stream;

    Driver(Load load, String id, int turns, ConcurrentLinkedQueue<Long> times, CountDownLatch done) {
      this.load = load;
      this.client = load.client;
      this.id = id;
      this.left = turns;
      this.times = times;
      this.done = done;
    }

    void start() {
      client.request(load.opts().setMethod(HttpMethod.GET).setURI("/v1/sessions/" + id + "/events/stream")
              .addHeader("x-api-key", "bench"))
          .compose(req -> req.send())
          .onSuccess(resp -> {
            stream = resp;
            RecordParser parser = RecordParser.newDelimited("\n\n", this::frame);
            resp.handler(parser);
            next();
          })
          .onFailure(e -> {
            e.printStackTrace();
            done.countDown();
          });
    }

    private void next() {
      long think = load.think;
      long wait = think == 0 ? 0 : java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 2 * think);
      if (wait > 0) {
        io.vertx.core.Vertx.currentContext().owner().setTimer(wait, t -> begin());
      } else {
        begin();
      }
    }

    private void begin() {
      turnStart = System.nanoTime();
      send(new JsonObject().put("type", "user.message").put("content", new JsonArray()
          .add(new JsonObject().put("type", "text").put("text", "Where is order 1234?"))));
    }

    private void frame(Buffer frame) {
      String f = frame.toString();
      if (f.startsWith("event: agent.custom_tool_use")) {
        String useId = new JsonObject(f.substring(f.indexOf("data: ") + 6)).getString("id");
        send(new JsonObject().put("type", "user.custom_tool_result").put("custom_tool_use_id", useId)
            .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "shipped"))));
      } else if (f.startsWith("event: session.status_idle") && !f.contains("requires_action")) {
        times.add(System.nanoTime() - turnStart);
        if (--left > 0) {
          next();
        } else {
          stream.request().connection().close();
          done.countDown();
        }
      }
    }

    private void send(JsonObject event) {
      client.request(load.opts().setMethod(HttpMethod.POST).setURI("/v1/sessions/" + id + "/events")
              .addHeader("x-api-key", "bench").addHeader("content-type", "application/json"))
          .compose(req -> req.send(new JsonObject().put("events", new JsonArray().add(event)).toBuffer()))
          .compose(resp -> resp.body())
          .onFailure(Throwable::printStackTrace);
    }
  }

}
