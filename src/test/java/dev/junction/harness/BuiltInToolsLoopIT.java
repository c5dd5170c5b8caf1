package dev.junction.harness;

import dev.junction.testing.FakeUpstream;
import dev.junction.testing.Gateway;
import dev.junction.testing.Http;
import dev.junction.testing.SseReader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in toolset through the agent loop: real tool calls in the bubblewrap sandbox, scripted model turns. */
class BuiltInToolsLoopIT {
  private Vertx vertx;
  private FakeUpstream upstream;
  private Gateway gw;
  private Http http;

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(new java.io.File("/usr/bin/bwrap").canExecute(), "bubblewrap (bwrap) is not installed");
    vertx = Vertx.vertx();
    upstream = Upstream.start(vertx);
    gw = Gateway.start(Upstream.gatewayConfig(upstream), Upstream.env(), null);
    http = new Http(gw.baseUrl());
  }

  @AfterEach
  void stop() throws Exception {
    if (gw != null) {
      gw.close();
      upstream.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private String session(JsonObject toolset) {
    JsonObject agent = http.post("/v1/agents", Gateway.KEY, new JsonObject().put("name", "tools").put("model", "claude-sonnet-4-6")
        .put("tools", new JsonArray().add(toolset))).json();
    String env = http.post("/v1/environments", Gateway.KEY, new JsonObject().put("name", "e")).json().getString("id");
    return http.post("/v1/sessions", Gateway.KEY, new JsonObject().put("agent", agent.getString("id")).put("environment_id", env))
        .json().getString("id");
  }

  private static JsonObject toolset() {
    return new JsonObject().put("type", "agent_toolset_20260401");
  }

  private static JsonObject askingFor(String tool) {
    return toolset().put("configs", new JsonArray().add(new JsonObject().put("name", tool)
        .put("permission_policy", new JsonObject().put("type", "always_ask"))));
  }

  private SseReader stream(String session) throws Exception {
    HttpResponse<InputStream> resp = http.client().send(http.request("/v1/sessions/" + session + "/events/stream")
        .header("x-api-key", Gateway.KEY).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    return new SseReader(resp.body());
  }

  private void send(String session, JsonObject event) {
    Http.Reply r = http.post("/v1/sessions/" + session + "/events", Gateway.KEY, new JsonObject().put("events", new JsonArray().add(event)));
    assertEquals(200, r.status(), r.body());
  }

  private static JsonObject message(String text) {
    return new JsonObject().put("type", "user.message")
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", text)));
  }

  private static List<SseReader.Frame> until(SseReader sse, String type) {
    List<SseReader.Frame> seen = new ArrayList<>();
    while (true) {
      SseReader.Frame f = sse.next(20_000);
      assertNotNull(f, "stream ended before " + type);
      seen.add(f);
      if (f.event().equals(type)) {
        return seen;
      }
    }
  }

  private static List<JsonObject> ofType(List<SseReader.Frame> frames, String type) {
    return frames.stream().filter(f -> f.event().equals(type)).map(SseReader.Frame::json).toList();
  }

  private static String text(JsonObject result) {
    return result.getJsonArray("content").getJsonObject(0).getString("text");
  }

  private static JsonObject input(String... kv) {
    JsonObject o = new JsonObject();
    for (int i = 0; i < kv.length; i += 2) {
      o.put(kv[i], kv[i + 1]);
    }
    return o;
  }

  @Test
  void aTurnRunsBashThenAnswers() throws Exception {
    upstream.enqueue(Upstream.toolUse("toolu_1", "bash", input("command", "echo hello > greet.txt && cat greet.txt && pwd")))
        .enqueue(Upstream.text("The file says hello."));
    String s = session(toolset());
    try (SseReader sse = stream(s)) {
      send(s, message("make a greeting file"));
      List<SseReader.Frame> frames = until(sse, "session.status_idle");
      JsonObject use = ofType(frames, "agent.tool_use").get(0);
      assertEquals("bash", use.getString("name"));
      assertEquals("allow", use.getString("evaluated_permission"));
      assertEquals("always_allow", use.getJsonObject("evaluation").getString("type"));
      JsonObject result = ofType(frames, "agent.tool_result").get(0);
      assertEquals(use.getString("id"), result.getString("tool_use_id"));
      assertFalse(result.getBoolean("is_error"), result.encode());
      assertTrue(text(result).contains("hello") && text(result).contains("/workspace"), text(result));
      assertEquals("The file says hello.", text(ofType(frames, "agent.message").get(1)));
      assertEquals("end_turn", frames.get(frames.size() - 1).json().getJsonObject("stop_reason").getString("type"));
    }
    String second = upstream.lastRequest().json().encode();
    assertTrue(second.contains("tool_result") && second.contains("hello"), second);
  }

  @Test
  void fileToolsRoundTrip() throws Exception {
    upstream.enqueue(Upstream.toolUse("t1", "write", input("file_path", "/workspace/notes/todo.txt", "content", "buy milk\nbuy eggs\n")))
        .enqueue(Upstream.toolUse("t2", "edit", input("file_path", "notes/todo.txt", "old_string", "eggs", "new_string", "bread")))
        .enqueue(Upstream.toolUse("t3", "read", input("file_path", "/workspace/notes/todo.txt")))
        .enqueue(Upstream.toolUse("t4", "glob", input("pattern", "**/*.txt")))
        .enqueue(Upstream.toolUse("t5", "grep", input("pattern", "bre+ad")))
        .enqueue(Upstream.text("Done."));
    String s = session(toolset());
    try (SseReader sse = stream(s)) {
      send(s, message("keep a todo list"));
      List<SseReader.Frame> frames = until(sse, "session.status_idle");
      List<JsonObject> results = ofType(frames, "agent.tool_result");
      assertEquals(5, results.size(), frames.stream().map(SseReader.Frame::event).toList().toString());
      for (JsonObject r : results) {
        assertFalse(r.getBoolean("is_error"), r.encode());
      }
      assertTrue(text(results.get(2)).contains("buy bread") && !text(results.get(2)).contains("eggs"), text(results.get(2)));
      assertTrue(text(results.get(3)).contains("notes/todo.txt"), text(results.get(3)));
      assertTrue(text(results.get(4)).contains("todo.txt:2:buy bread"), text(results.get(4)));
    }
  }

  @Test
  void alwaysAskWaitsForConfirmationThenRuns() throws Exception {
    upstream.enqueue(Upstream.toolUse("t1", "bash", input("command", "echo approved")))
        .enqueue(Upstream.text("Ran it."));
    String s = session(askingFor("bash"));
    try (SseReader sse = stream(s)) {
      send(s, message("run it"));
      List<SseReader.Frame> first = until(sse, "session.status_idle");
      JsonObject use = ofType(first, "agent.tool_use").get(0);
      assertEquals("ask", use.getString("evaluated_permission"));
      assertEquals("always_ask", use.getJsonObject("evaluation").getString("type"));
      JsonObject idle = first.get(first.size() - 1).json().getJsonObject("stop_reason");
      assertEquals("requires_action", idle.getString("type"));
      assertEquals(new JsonArray().add(use.getString("id")), idle.getJsonArray("event_ids"));
      assertTrue(ofType(first, "agent.tool_result").isEmpty(), "nothing runs before the client allows it");

      send(s, new JsonObject().put("type", "user.tool_confirmation").put("tool_use_id", use.getString("id")).put("result", "allow"));
      List<SseReader.Frame> second = until(sse, "session.status_idle");
      JsonObject result = ofType(second, "agent.tool_result").get(0);
      assertTrue(text(result).contains("approved"), text(result));
      assertEquals("end_turn", second.get(second.size() - 1).json().getJsonObject("stop_reason").getString("type"));
    }
  }

  @Test
  void alwaysAskDeniedFeedsTheDenyMessageBack() throws Exception {
    upstream.enqueue(Upstream.toolUse("t1", "bash", input("command", "touch /workspace/should-not-exist")))
        .enqueue(Upstream.text("Understood, I will not."));
    String s = session(askingFor("bash"));
    try (SseReader sse = stream(s)) {
      send(s, message("do it"));
      String useId = ofType(until(sse, "session.status_idle"), "agent.tool_use").get(0).getString("id");
      send(s, new JsonObject().put("type", "user.tool_confirmation").put("tool_use_id", useId).put("result", "deny")
          .put("deny_message", "Read .env.example instead"));
      List<SseReader.Frame> frames = until(sse, "session.status_idle");
      JsonObject result = ofType(frames, "agent.tool_result").get(0);
      assertTrue(result.getBoolean("is_error"));
      assertEquals("Read .env.example instead", text(result));
    }
    String second = upstream.lastRequest().json().encode();
    assertTrue(second.contains("Read .env.example instead"), "the model is told why");
  }

  @Test
  void anInterruptStopsALongBashCommandAtOnce() throws Exception {
    upstream.enqueue(Upstream.toolUse("t1", "bash", input("command", "sleep 120; echo finished")))
        .enqueue(Upstream.text("Next turn works."));
    String s = session(toolset());
    try (SseReader sse = stream(s)) {
      send(s, message("wait a long time"));
      until(sse, "agent.tool_use");
      long t0 = System.nanoTime();
      send(s, new JsonObject().put("type", "user.interrupt"));
      List<SseReader.Frame> frames = until(sse, "session.status_idle");
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "the interrupt took effect at once");
      assertEquals("end_turn", frames.get(frames.size() - 1).json().getJsonObject("stop_reason").getString("type"));
      assertTrue(ofType(frames, "agent.tool_result").isEmpty(), "the interrupted command has no result");

      send(s, message("are you there?"));
      List<SseReader.Frame> next = until(sse, "session.status_idle");
      assertEquals("Next turn works.", text(ofType(next, "agent.message").get(0)));
    }
    // The model was told the interrupted call never finished.
    String last = upstream.lastRequest().json().encode();
    assertTrue(last.contains("interrupted"), last);
  }
}
