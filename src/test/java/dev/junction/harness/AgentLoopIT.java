package dev.junction.harness;

import dev.junction.testing.FakeUpstream;
import dev.junction.testing.Gateway;
import dev.junction.testing.Http;
import dev.junction.testing.SseReader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
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

/** The agent loop over real HTTP: a fake model scripted per turn, the gateway, and the MA event stream. */
class AgentLoopIT {
  private Vertx vertx;
  private FakeUpstream upstream;
  private Gateway gw;
  private Http http;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = Upstream.start(vertx);
    gw = Gateway.start(Upstream.gatewayConfig(upstream), Upstream.env(), null);
    http = new Http(gw.baseUrl());
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
    upstream.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private String session(JsonArray tools) {
    JsonObject agent = http.post("/v1/agents", Gateway.KEY, new JsonObject().put("name", "loop").put("model", "claude-sonnet-4-6")
        .put("system", "You are terse.").put("tools", tools)).json();
    String env = http.post("/v1/environments", Gateway.KEY, new JsonObject().put("name", "e")).json().getString("id");
    return http.post("/v1/sessions", Gateway.KEY, new JsonObject().put("agent", agent.getString("id")).put("environment_id", env))
        .json().getString("id");
  }

  private SseReader stream(String session, String query) throws Exception {
    HttpResponse<InputStream> resp = http.client().send(http.request("/v1/sessions/" + session + "/events/stream" + query)
        .header("x-api-key", Gateway.KEY).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, resp.statusCode());
    return new SseReader(resp.body());
  }

  private static JsonObject message(String text) {
    return new JsonObject().put("type", "user.message")
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", text)));
  }

  private Http.Reply send(String session, JsonObject... events) {
    Http.Reply r = http.post("/v1/sessions/" + session + "/events", Gateway.KEY,
        new JsonObject().put("events", new JsonArray(List.of((Object[]) events))));
    assertEquals(200, r.status(), r.body());
    return r;
  }

  /** Reads frames until one of the given type arrives; returns every frame read, that one last. */
  private static List<SseReader.Frame> until(SseReader sse, String type) {
    List<SseReader.Frame> seen = new ArrayList<>();
    while (true) {
      SseReader.Frame f = sse.next(10_000);
      assertNotNull(f, "stream ended before " + type + "; saw " + types(seen));
      seen.add(f);
      if (f.event().equals(type)) {
        return seen;
      }
    }
  }

  private static List<String> types(List<SseReader.Frame> frames) {
    return frames.stream().map(SseReader.Frame::event).toList();
  }

  /** The i-th text of a wire message, whose content may be a plain string or blocks. */
  private static String text(JsonObject message, int i) {
    Object content = message.getValue("content");
    if (content instanceof String s) {
      assertEquals(0, i);
      return s;
    }
    return ((JsonArray) content).getJsonObject(i).getString("text");
  }

  private static JsonArray customWeatherTool() {
    return new JsonArray().add(new JsonObject().put("type", "custom").put("name", "get_weather")
        .put("description", "Weather for a city").put("input_schema", new JsonObject().put("type", "object")
            .put("properties", new JsonObject().put("city", new JsonObject().put("type", "string")))
            .put("required", new JsonArray().add("city"))));
  }

  @Test
  void aTurnThatAnswersGoesRunningThenIdleWithUsage() throws Exception {
    upstream.enqueue(Upstream.text("Hello there."));
    String s = session(new JsonArray());
    try (SseReader sse = stream(s, "")) {
      send(s, message("hi"));
      List<SseReader.Frame> frames = until(sse, "session.status_idle");
      assertEquals(List.of("user.message", "session.status_running", "span.model_request_start", "agent.message",
          "span.model_request_end", "session.usage", "session.status_idle"), types(frames));
      assertEquals("Hello there.", frames.get(3).json().getJsonArray("content").getJsonObject(0).getString("text"));
      JsonObject end = frames.get(4).json();
      assertEquals(frames.get(2).json().getString("id"), end.getString("model_request_start_id"));
      assertEquals(100, end.getJsonObject("model_usage").getInteger("input_tokens"));
      assertFalse(end.getBoolean("is_error"));
      assertEquals("end_turn", frames.get(6).json().getJsonObject("stop_reason").getString("type"));
    }
    JsonObject sent = upstream.lastRequest().json();
    assertEquals("claude-sonnet-4-6", sent.getString("model"));
    assertEquals("sk-test-upstream", upstream.lastRequest().header("x-api-key"));
    assertTrue(sent.encode().contains("You are terse."));
    assertEquals("hi", text(sent.getJsonArray("messages").getJsonObject(0), 0));
    JsonObject session = http.get("/v1/sessions/" + s, Gateway.KEY).json();
    assertEquals("idle", session.getString("status"));
    assertEquals(100, session.getJsonObject("usage").getInteger("input_tokens"));
    assertEquals(20, session.getJsonObject("usage").getInteger("output_tokens"));
  }

  @Test
  void customToolRoundTripPausesForTheClientAndResumes() throws Exception {
    upstream.enqueue(Upstream.toolUse("toolu_1", "get_weather", new JsonObject().put("city", "Paris")))
        .enqueue(Upstream.text("It is 22 degrees in Paris."));
    String s = session(customWeatherTool());
    try (SseReader sse = stream(s, "")) {
      send(s, message("weather in Paris?"));
      List<SseReader.Frame> first = until(sse, "session.status_idle");
      JsonObject use = first.stream().filter(f -> f.event().equals("agent.custom_tool_use")).findFirst().orElseThrow().json();
      assertEquals("get_weather", use.getString("name"));
      assertEquals("Paris", use.getJsonObject("input").getString("city"));
      JsonObject idle = first.get(first.size() - 1).json();
      assertEquals("requires_action", idle.getJsonObject("stop_reason").getString("type"));
      assertEquals(new JsonArray().add(use.getString("id")), idle.getJsonObject("stop_reason").getJsonArray("event_ids"));

      send(s, new JsonObject().put("type", "user.custom_tool_result").put("custom_tool_use_id", use.getString("id"))
          .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "{\"temp_c\":22}"))));
      List<SseReader.Frame> second = until(sse, "session.status_idle");
      assertTrue(types(second).contains("agent.message"), second.stream().map(SseReader.Frame::data).toList().toString());
      assertEquals("end_turn", second.get(second.size() - 1).json().getJsonObject("stop_reason").getString("type"), second.stream().map(SseReader.Frame::data).toList().toString());
    }
    // The second model call carried the tool use and its result, paired under the event's id.
    JsonArray messages = upstream.lastRequest().json().getJsonArray("messages");
    assertEquals(3, messages.size(), messages.encodePrettily());
    JsonObject toolUse = messages.getJsonObject(1).getJsonArray("content").getJsonObject(1);
    JsonObject result = messages.getJsonObject(2).getJsonArray("content").getJsonObject(0);
    assertEquals("tool_use", toolUse.getString("type"));
    assertEquals("tool_result", result.getString("type"));
    assertEquals(toolUse.getString("id"), result.getString("tool_use_id"));
    assertTrue(result.encode().contains("temp_c"));
  }

  @Test
  void anInterruptCancelsASlowModelCallAndIdles() throws Exception {
    upstream.enqueue(FakeUpstream.Reply.hangs());
    String s = session(new JsonArray());
    try (SseReader sse = stream(s, "")) {
      send(s, message("think hard"));
      until(sse, "span.model_request_start");
      // Interrupt once the model call has reached the upstream, so there is a request to reset.
      dev.junction.testing.Eventually.assertTrue("model call reached the upstream", () -> upstream.requests().size() == 1, 10_000);
      send(s, new JsonObject().put("type", "user.interrupt"));
      List<SseReader.Frame> rest = until(sse, "session.status_idle");
      assertEquals("end_turn", rest.get(rest.size() - 1).json().getJsonObject("stop_reason").getString("type"));
      assertTrue(types(rest).contains("span.model_request_end"), types(rest).toString());
      assertFalse(types(rest).contains("agent.message"));
    }
    assertNotNull(upstream.resets().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS),
        "the upstream request was reset");
  }

  @Test
  void messagesQueuedWhileRunningAreAnsweredTogether() throws Exception {
    // The first reply drips slowly so that two more messages arrive while the session is running.
    upstream.enqueue(Upstream.text("First answer.").drip(8, 20)).enqueue(Upstream.text("Both answered."));
    String s = session(new JsonArray());
    try (SseReader sse = stream(s, "")) {
      send(s, message("one"));
      until(sse, "span.model_request_start");
      send(s, message("two"));
      send(s, message("three"));
      List<SseReader.Frame> frames = until(sse, "session.status_idle");
      long calls = types(frames).stream().filter("span.model_request_start"::equals).count();
      assertEquals(1, calls, "one more model call answered both queued messages: " + types(frames));
    }
    assertEquals(2, upstream.requests().size());
    JsonArray messages = upstream.lastRequest().json().getJsonArray("messages");
    JsonObject last = messages.getJsonObject(messages.size() - 1);
    assertEquals("user", last.getString("role"));
    assertEquals("two", text(last, 0));
    assertEquals("three", text(last, 1));
  }

  @Test
  void overloadedUpstreamIsRetriedThenExhausted() throws Exception {
    upstream.otherwise(FakeUpstream.Reply.fixture("anthropic/error_529_overloaded.json"));
    String s = session(new JsonArray());
    try (SseReader sse = stream(s, "")) {
      send(s, message("hello"));
      List<SseReader.Frame> frames = until(sse, "session.status_idle");
      List<String> t = types(frames);
      assertEquals(2, t.stream().filter("session.status_rescheduled"::equals).count(), t.toString());
      List<JsonObject> errors = frames.stream().filter(f -> f.event().equals("session.error")).map(SseReader.Frame::json).toList();
      assertEquals(3, errors.size());
      assertEquals("model_overloaded_error", errors.get(0).getJsonObject("error").getString("type"));
      assertEquals("retrying", errors.get(0).getJsonObject("error").getJsonObject("retry_status").getString("type"));
      assertEquals("exhausted", errors.get(2).getJsonObject("error").getJsonObject("retry_status").getString("type"));
      assertEquals("retries_exhausted", frames.get(frames.size() - 1).json().getJsonObject("stop_reason").getString("type"));
    }
    assertEquals(3, upstream.requests().size());
  }

  @Test
  void eventDeltasPreviewAPrefixOfTheFinalMessageWithItsId() throws Exception {
    upstream.enqueue(Upstream.streamText("The answer ", "is forty", " two."));
    String s = session(new JsonArray());
    try (SseReader sse = stream(s, "?event_deltas[]=agent.message"); SseReader plain = stream(s, "")) {
      send(s, message("what is it?"));
      List<SseReader.Frame> frames = until(sse, "session.status_idle");
      List<String> t = types(frames);
      int start = t.indexOf("event_start");
      int message = t.indexOf("agent.message");
      assertTrue(start > t.indexOf("span.model_request_start") && start < message, t.toString());
      JsonObject final_ = frames.get(message).json();
      assertEquals(final_.getString("id"), frames.get(start).json().getJsonObject("event").getString("id"));
      assertEquals("agent.message", frames.get(start).json().getJsonObject("event").getString("type"));
      StringBuilder previewed = new StringBuilder();
      for (SseReader.Frame f : frames.subList(start + 1, message)) {
        assertEquals("event_delta", f.event());
        assertEquals(final_.getString("id"), f.json().getString("event_id"));
        assertFalse(f.json().containsKey("id"), "previews are not persisted events");
        previewed.append(f.json().getJsonObject("delta").getJsonObject("content").getString("text"));
      }
      String text = final_.getJsonArray("content").getJsonObject(0).getString("text");
      assertEquals("The answer is forty two.", text);
      assertTrue(previewed.length() > 0 && text.startsWith(previewed.toString()), previewed.toString());
      // A subscriber that did not ask for previews sees none; nor does the history.
      assertFalse(types(until(plain, "session.status_idle")).contains("event_delta"));
    }
    JsonArray history = http.get("/v1/sessions/" + s + "/events", Gateway.KEY).json().getJsonArray("data");
    assertFalse(history.encode().contains("event_delta"));
    assertTrue(upstream.lastRequest().json().getBoolean("stream"), "the model call streamed");
  }

  @Test
  void aContextNearItsWindowIsCompactedAndTheLogKeepsEverything() throws Exception {
    gw.close();
    java.util.Map<String, Object> config = new java.util.HashMap<>(Upstream.gatewayConfig(upstream));
    config.put("harness", java.util.Map.of("compact_at_tokens", 20));
    gw = Gateway.start(config, Upstream.env(), null);
    http = new Http(gw.baseUrl());
    upstream.enqueue(Upstream.text("A long first answer about the order, its tracking number 1Z999 and the depot in Lyon."))
        .enqueue(Upstream.text("User asked about order; tracking 1Z999; depot Lyon."))
        .enqueue(Upstream.text("It ships tomorrow."));
    String s = session(new JsonArray());
    try (SseReader sse = stream(s, "")) {
      send(s, message("Where is my order?"));
      until(sse, "session.status_idle");
      send(s, message("When does it ship?"));
      List<SseReader.Frame> frames = until(sse, "session.status_idle");
      List<String> t = types(frames);
      assertTrue(t.contains("agent.thread_context_compacted") && t.indexOf("agent.thread_context_compacted") < t.indexOf("span.model_request_start"), t.toString());
    }
    List<FakeUpstream.Received> requests = upstream.requests();
    assertEquals(3, requests.size());
    assertTrue(requests.get(1).json().encode().contains("tracking number 1Z999"), "the compaction call saw the old turns");
    JsonArray messages = requests.get(2).json().getJsonArray("messages");
    assertEquals(1, messages.size(), messages.encode());
    String context = messages.encode();
    assertTrue(context.contains("depot Lyon") && context.contains("When does it ship?"), context);
    assertFalse(context.contains("A long first answer"), "older turns were replaced by the summary");
    JsonArray history = http.get("/v1/sessions/" + s + "/events?types[]=agent.message", Gateway.KEY).json().getJsonArray("data");
    assertEquals(2, history.size(), "the log keeps every message");
  }
}
