package dev.junction.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.junction.testing.FakeUpstream;
import dev.junction.testing.Gateway;
import dev.junction.testing.Http;
import dev.junction.testing.OffsetClock;
import dev.junction.testing.SseReader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A gateway routing between two scripted upstreams, Claude (Anthropic Messages) and GPT (OpenAI
 * Chat Completions), with the test's route file and an {@link OffsetClock}; and the MA calls the
 * routing tests make through it. Close it after each test.
 */
final class RoutedGateway implements AutoCloseable {
  static final String CLAUDE = "anthropic/claude-sonnet-4-6";
  static final String GPT = "openai/gpt-5.4";

  final Vertx vertx = Vertx.vertx();
  final OffsetClock clock = new OffsetClock();
  final FakeUpstream claude;
  final FakeUpstream gpt;
  final Path routes;
  final Gateway gateway;
  final Http http;

  private RoutedGateway(String routeFile) throws Exception {
    claude = FakeUpstream.start(vertx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    gpt = FakeUpstream.start(vertx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    routes = Files.createTempDirectory("junction-routes");
    Files.writeString(routes.resolve("test.yaml"), routeFile);
    gateway = Gateway.start(Map.of(
        "server", Map.of("port", 0, "host", "127.0.0.1", "event_loops", 2),
        "routes", routes.toString(),
        "providers", Map.of(
            "anthropic", Map.of("kind", "anthropic", "base_url", claude.baseUrl(), "api_key", "env:TEST_ANTHROPIC_KEY"),
            "openai", Map.of("kind", "openai", "base_url", gpt.baseUrl(), "api_key", "env:TEST_OPENAI_KEY")),
        "harness", Map.of("max_retries", 2, "retry_base_ms", 10, "retry_max_ms", 50)),
        Map.of("TEST_ANTHROPIC_KEY", "sk-ant-test", "TEST_OPENAI_KEY", "sk-oai-test"), null, clock);
    http = new Http(gateway.baseUrl());
  }

  /**
   * @param routeFile the YAML of the only route file; its targets name providers {@code anthropic}
   *     and {@code openai}
   */
  static RoutedGateway start(String routeFile) throws Exception {
    return new RoutedGateway(routeFile);
  }

  /** A route file: {@code claude} then {@code gpt}, with the given extras on the claude target and the route. */
  static String routes(String claudeBreaker, String routeExtras) {
    return """
        targets:
          claude: { provider: anthropic, model: claude-sonnet-4-6%s }
          gpt:    { provider: openai, model: gpt-5.4 }
        routes:
          - name: claude-first
            try: [claude, gpt]
        %s""".formatted(claudeBreaker == null ? "" : ", breaker: " + claudeBreaker,
        routeExtras == null ? "" : "    " + routeExtras + "\n");
  }

  /** A session of a fresh agent on claude-sonnet-4-6 offering {@code tools}. */
  String session(JsonArray tools) {
    JsonObject agent = http.post("/v1/agents", Gateway.KEY, new JsonObject().put("name", "routed")
        .put("model", "claude-sonnet-4-6").put("tools", tools)).json();
    String env = http.post("/v1/environments", Gateway.KEY, new JsonObject().put("name", "e")).json().getString("id");
    return session(agent.getString("id"), env);
  }

  String session(String agentId, String environmentId) {
    Http.Reply r = http.post("/v1/sessions", Gateway.KEY, new JsonObject().put("agent", agentId)
        .put("environment_id", environmentId));
    assertEquals(200, r.status(), r.body());
    return r.json().getString("id");
  }

  SseReader stream(String session, String query) throws Exception {
    HttpResponse<InputStream> resp = http.client().send(http.request("/v1/sessions/" + session + "/events/stream" + query)
        .header("x-api-key", Gateway.KEY).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, resp.statusCode());
    return new SseReader(resp.body());
  }

  void send(String session, String text) {
    Http.Reply r = http.post("/v1/sessions/" + session + "/events", Gateway.KEY, new JsonObject().put("events",
        new JsonArray().add(new JsonObject().put("type", "user.message")
            .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", text))))));
    assertEquals(200, r.status(), r.body());
  }

  /** Sends a message and reads the turn up to its idle: every frame read, the idle last. */
  List<SseReader.Frame> turn(SseReader sse, String session, String text) {
    send(session, text);
    return until(sse, "session.status_idle");
  }

  static List<SseReader.Frame> until(SseReader sse, String type) {
    List<SseReader.Frame> seen = new ArrayList<>();
    while (true) {
      SseReader.Frame f = sse.next(20_000);
      assertNotNull(f, "stream ended before " + type + "; saw " + types(seen));
      seen.add(f);
      if (f.event().equals(type)) {
        return seen;
      }
    }
  }

  static List<String> types(List<SseReader.Frame> frames) {
    return frames.stream().map(SseReader.Frame::event).toList();
  }

  /** The {@code routing} object of the turn's last {@code span.model_request_end}. */
  static JsonObject routing(List<SseReader.Frame> frames) {
    JsonObject routing = null;
    for (SseReader.Frame f : frames) {
      if (f.event().equals("span.model_request_end")) {
        routing = f.json().getJsonObject("routing");
      }
    }
    assertNotNull(routing, "no span.model_request_end with routing in " + types(frames));
    return routing;
  }

  /** {@code target:result[:failure_class]} per attempt, for compact assertions. */
  static List<String> attempts(JsonObject routing) {
    List<String> out = new ArrayList<>();
    for (Object o : routing.getJsonArray("attempts")) {
      JsonObject a = (JsonObject) o;
      out.add(a.getString("target") + ":" + a.getString("result")
          + (a.getString("failure_class") == null ? "" : ":" + a.getString("failure_class")));
    }
    return out;
  }

  /** The target's entry in {@code GET /admin/targets}. */
  JsonObject target(String id) {
    Http.Reply r = http.get("/admin/targets", Gateway.ADMIN_KEY);
    assertEquals(200, r.status(), r.body());
    for (Object o : r.json().getJsonArray("targets")) {
      if (id.equals(((JsonObject) o).getString("target"))) {
        return (JsonObject) o;
      }
    }
    throw new AssertionError("target " + id + " is not in " + r.body());
  }

  Http.Reply admin(String path, JsonObject body) {
    return http.post(path, Gateway.ADMIN_KEY, body);
  }

  // Upstream replies -------------------------------------------------------------------------

  static FakeUpstream.Reply claudeText(String text) {
    return anthropic(new JsonArray().add(new JsonObject().put("type", "text").put("text", text)), "end_turn");
  }

  static FakeUpstream.Reply claudeToolUse(String name, JsonObject input) {
    return anthropic(new JsonArray().add(new JsonObject().put("type", "tool_use").put("id", "toolu_" + System.nanoTime())
        .put("name", name).put("input", input)), "tool_use");
  }

  private static FakeUpstream.Reply anthropic(JsonArray content, String stopReason) {
    JsonObject body = new JsonObject().put("id", "msg_" + System.nanoTime()).put("type", "message").put("role", "assistant")
        .put("model", "claude-sonnet-4-6").put("content", content).put("stop_reason", stopReason).putNull("stop_sequence")
        .put("usage", new JsonObject().put("input_tokens", 100).put("output_tokens", 20));
    return FakeUpstream.Reply.status(200).body(body.encode());
  }

  static FakeUpstream.Reply gptText(String text) {
    JsonObject body = new JsonObject().put("id", "chatcmpl-" + System.nanoTime()).put("object", "chat.completion")
        .put("created", 1_700_000_000L).put("model", "gpt-5.4").put("choices", new JsonArray().add(new JsonObject()
            .put("index", 0).put("message", new JsonObject().put("role", "assistant").put("content", text))
            .put("finish_reason", "stop")))
        .put("usage", new JsonObject().put("prompt_tokens", 90).put("completion_tokens", 12).put("total_tokens", 102));
    return FakeUpstream.Reply.status(200).body(body.encode());
  }

  @Override
  public void close() throws Exception {
    gateway.close();
    claude.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    gpt.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try (var files = Files.walk(routes)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
