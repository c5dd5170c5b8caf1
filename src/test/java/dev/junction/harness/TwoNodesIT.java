package dev.junction.harness;

import dev.junction.testing.Eventually;
import dev.junction.testing.FakeUpstream;
import dev.junction.testing.Gateway;
import dev.junction.testing.GatewayProcess;
import dev.junction.testing.Http;
import dev.junction.testing.Sessions;
import dev.junction.testing.SseReader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two gateway processes on one PostgreSQL. A session is started through node A and its stream read
 * through node B; node A is killed with SIGKILL in the middle of a turn (after a bash tool ran and its
 * result was logged, while the next model call is in flight). Node B must take the session over once
 * A's lease expires and finish the turn, with no event lost or repeated and the tool not run again.
 */
class TwoNodesIT {
  private static final long LEASE_TTL_MS = 2_000;
  /** For the graceful stop: long enough that only a released lease lets node B in before the test's deadline. */
  private static final long LONG_LEASE_TTL_MS = 120_000;

  private Vertx vertx;
  private FakeUpstream upstream;
  private EmbeddedPostgres postgres;
  private Path dir;
  private final List<GatewayProcess> processes = new ArrayList<>();

  @BeforeEach
  void start(org.junit.jupiter.api.TestInfo test) throws Exception {
    long ttl = test.getTestMethod().orElseThrow().getName().contains("Stopped") ? LONG_LEASE_TTL_MS : LEASE_TTL_MS;
    Assumptions.assumeTrue(new java.io.File("/usr/bin/bwrap").canExecute(), "bubblewrap (bwrap) is not installed");
    vertx = Vertx.vertx();
    upstream = Upstream.start(vertx);
    postgres = EmbeddedPostgres.builder().start();
    String url = dev.junction.testing.TestPostgres.freshDatabaseUrl(postgres);
    dir = Files.createTempDirectory("junction-nodes");
    // Both nodes share the data directory, as nodes sharing a volume would: a session's work
    // directory then survives the takeover, and the test can count the tool's runs in it.
    Files.writeString(dir.resolve("junction.yaml"), String.join("\n",
        "server: { host: 127.0.0.1, port: 0 }",
        "store:",
        "  type: postgres",
        "  url: " + url,
        "  pool_size: 4",
        "  lease_ttl_ms: " + ttl,
        "  data_dir: " + dir.resolve("data"),
        "routes: " + Path.of("routes").toAbsolutePath(),
        "providers:",
        "  anthropic: { kind: anthropic, base_url: \"" + upstream.baseUrl() + "\", api_key: env:TEST_ANTHROPIC_KEY }",
        ""));
  }

  @AfterEach
  void stop() throws Exception {
    for (GatewayProcess p : processes) {
      p.kill();
    }
    if (vertx != null) {
      upstream.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  private GatewayProcess node(String name) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("JUNCTION_API_KEYS", Gateway.KEY + ":tenant-a");
    env.put("TEST_ANTHROPIC_KEY", "sk-test");
    env.put("JUNCTION_NODE_ID", name);
    GatewayProcess p = GatewayProcess.start(dir.resolve("junction.yaml").toString(), env);
    processes.add(p);
    return p;
  }



  @Test
  void aStoppedNodeHandsItsSessionsOverWithoutWaitingForTheLeaseToExpire() throws Exception {
    upstream.enqueue(FakeUpstream.Reply.hangs()).enqueue(Upstream.text("Answered by node B."));
    GatewayProcess a = node("node-a");
    GatewayProcess b = node("node-b");
    Http httpA = a.http();
    Http httpB = b.http();
    String agent = httpA.post("/v1/agents", Gateway.KEY, new JsonObject().put("name", "stop").put("model", "claude-sonnet-4-6"))
        .json().getString("id");
    String env = httpA.post("/v1/environments", Gateway.KEY, new JsonObject().put("name", "e")).json().getString("id");
    String session = httpA.post("/v1/sessions", Gateway.KEY, new JsonObject().put("agent", agent).put("environment_id", env))
        .json().getString("id");
    httpA.post("/v1/sessions/" + session + "/events", Gateway.KEY, new JsonObject().put("events", new JsonArray()
        .add(new JsonObject().put("type", "user.message").put("content", new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "hello"))))));
    Eventually.assertTrue("model call in flight on node A", () -> upstream.requests().size() == 1, 30_000);

    a.stop();
    long stoppedAt = System.nanoTime();
    Eventually.assertTrue("node B finished the turn",
        () -> "idle".equals(httpB.get("/v1/sessions/" + session, Gateway.KEY).json().getString("status")), 30_000);
    long tookMs = (System.nanoTime() - stoppedAt) / 1_000_000;
    assertTrue(tookMs < LONG_LEASE_TTL_MS / 2, "hand-over took " + tookMs + " ms");
    List<JsonObject> events = Sessions.events(httpB, session);
    assertEquals(events.size(), events.stream().map(e -> e.getString("id")).distinct().count(), "no event twice");
    assertEquals("Answered by node B.", Sessions.lastAgentText(events));
    System.out.println("hand-over: session idle on node B " + tookMs + " ms after node A was stopped (lease TTL "
        + LONG_LEASE_TTL_MS + " ms)");
  }

  @Test
  void nodeBFinishesTheTurnOfAKilledNodeAWithoutLosingOrRepeatingAnything() throws Exception {
    upstream.enqueue(Upstream.toolUse("t1", "bash", new JsonObject().put("command", "echo run >> /workspace/runs.log; wc -l < /workspace/runs.log")))
        .enqueue(FakeUpstream.Reply.hangs())
        .enqueue(Upstream.text("Finished on the other node."));
    GatewayProcess a = node("node-a");
    GatewayProcess b = node("node-b");
    Http httpA = a.http();
    Http httpB = b.http();
    String agent = httpA.post("/v1/agents", Gateway.KEY, new JsonObject().put("name", "nodes").put("model", "claude-sonnet-4-6")
        .put("tools", new JsonArray().add(new JsonObject().put("type", "agent_toolset_20260401")))).json().getString("id");
    String env = httpA.post("/v1/environments", Gateway.KEY, new JsonObject().put("name", "e")).json().getString("id");
    String session = httpA.post("/v1/sessions", Gateway.KEY, new JsonObject().put("agent", agent).put("environment_id", env))
        .json().getString("id");

    HttpResponse<InputStream> resp = httpB.client().send(httpB.request("/v1/sessions/" + session + "/events/stream")
        .header("x-api-key", Gateway.KEY).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, resp.statusCode());
    try (SseReader stream = new SseReader(resp.body())) {
      httpA.post("/v1/sessions/" + session + "/events", Gateway.KEY, new JsonObject().put("events", new JsonArray()
          .add(new JsonObject().put("type", "user.message").put("content", new JsonArray()
              .add(new JsonObject().put("type", "text").put("text", "log a run"))))));

      // Node A runs the turn: wait until the tool's result is logged and the second call hangs.
      Eventually.assertTrue("second model call in flight on node A", () -> upstream.requests().size() == 2
          && Sessions.count(Sessions.events(httpB, session), "span.model_request_start") == 2, 30_000);
      List<JsonObject> before = Sessions.events(httpB, session);
      assertEquals(1, Sessions.count(before, "agent.tool_result"));
      a.kill();
      long killedAt = System.nanoTime();

      Eventually.assertTrue("node B finished the session's turn",
          () -> "idle".equals(httpB.get("/v1/sessions/" + session, Gateway.KEY).json().getString("status")), 30_000);
      long tookMs = (System.nanoTime() - killedAt) / 1_000_000;
      List<JsonObject> after = Sessions.events(httpB, session);
      assertEquals(before, after.subList(0, before.size()), "every event logged before the kill is still there, in order");
      assertEquals(1, Sessions.count(after, "agent.tool_result"), "the logged tool call did not run again");
      assertEquals(after.size(), after.stream().map(e -> e.getString("id")).distinct().count(), "no event twice");
      JsonObject idle = after.get(after.size() - 1);
      assertEquals("session.status_idle", idle.getString("type"));
      assertEquals("end_turn", idle.getJsonObject("stop_reason").getString("type"));
      assertEquals("Finished on the other node.", Sessions.lastAgentText(after));
      Path runs = dir.resolve("data").resolve("sessions").resolve(session).resolve("work").resolve("runs.log");
      assertEquals(List.of("run"), Files.readAllLines(runs), "bash ran exactly once");
      assertEquals(3, upstream.requests().size(), "one model call was repeated: the one the kill interrupted");
      String metrics = httpB.get("/metrics", Gateway.KEY).body();
      assertTrue(metrics.contains("junction_session_takeovers_total 1.0"), "node B counts its takeover:\n"
          + metrics.lines().filter(l -> l.startsWith("junction_session")).toList());
      // The lease expires at most a TTL after the kill, a sweep notices within a quarter of the TTL,
      // then one turn (the fake model answers at once; 3 s allows for a slow machine).
      assertTrue(tookMs < LEASE_TTL_MS + LEASE_TTL_MS / 4 + 3_000, "takeover took " + tookMs + " ms");
      System.out.println("takeover: session idle on node B " + tookMs + " ms after node A was killed (lease TTL "
          + LEASE_TTL_MS + " ms)");

      // The stream read through node B carried every logged event once, in order, without a gap:
      // those node A committed (through notifications) and those node B committed itself.
      int sent = after.indexOf(after.stream().filter(e -> e.getString("type").equals("user.message")).findFirst().orElseThrow());
      List<String> logged = after.subList(sent, after.size()).stream().map(e -> e.getString("id")).toList();
      List<SseReader.Frame> frames = stream.take(logged.size(), 30_000);
      List<String> streamed = frames.stream().map(f -> f.json().getString("id")).toList();
      assertEquals(logged, streamed, "stream through node B = log after the stream opened");
    }
  }
}
