package dev.junction.routing;

import static dev.junction.routing.RoutedGateway.CLAUDE;
import static dev.junction.routing.RoutedGateway.attempts;
import static dev.junction.routing.RoutedGateway.claudeText;
import static dev.junction.routing.RoutedGateway.claudeToolUse;
import static dev.junction.routing.RoutedGateway.gptText;
import static dev.junction.routing.RoutedGateway.routing;
import static dev.junction.routing.RoutedGateway.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.testing.FakeUpstream.Reply;
import dev.junction.testing.SseReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Failover through the running gateway: an agent session over HTTP, the MA event stream, and two
 * scripted upstreams behind a route {@code try: [claude, gpt]}. Time that breakers and cooldowns
 * judge moves only when a test advances the gateway's clock.
 */
class RoutingGatewayIT {
  private RoutedGateway gw;

  @AfterEach
  void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
  }

  @Test
  void shouldAnswerFromTheNextTargetWhenTheFirstIsOverloadedAndListBothAttemptsInTheSpan() throws Exception {
    gw = RoutedGateway.start(RoutedGateway.routes(null, null));
    gw.claude.enqueue(Reply.fixture("anthropic/error_529_overloaded.json"));
    gw.gpt.enqueue(gptText("GPT answers."));
    String s = gw.session(new JsonArray());
    try (SseReader sse = gw.stream(s, "")) {
      List<SseReader.Frame> frames = gw.turn(sse, s, "hello");
      assertTrue(types(frames).contains("agent.message"), types(frames).toString());
      assertTrue(!types(frames).contains("session.error"), "a failover that succeeds is invisible but for routing");
      JsonObject routing = routing(frames);
      assertEquals("claude-first", routing.getString("route"));
      assertEquals("gpt", routing.getString("target"));
      assertEquals(List.of("claude:failed:overloaded", "gpt:succeeded"), attempts(routing));
      JsonObject first = routing.getJsonArray("attempts").getJsonObject(0);
      assertEquals(529, first.getInteger("status"));
      assertTrue(first.getDouble("latency_ms") > 0, first.encode());
      assertTrue(routing.getJsonArray("attempts").getJsonObject(1).getDouble("latency_ms") > 0);
    }
    assertEquals("gpt-5.4", gw.gpt.lastRequest().json().getString("model"));
  }

  @Test
  void shouldSendNothingToARateLimitedTargetUntilItsRetryAfterHasPassed() throws Exception {
    gw = RoutedGateway.start(RoutedGateway.routes(null, null));
    gw.claude.enqueue(Reply.fixture("anthropic/error_429_rate_limit.json")).otherwise(claudeText("Claude is back."));
    gw.gpt.otherwise(gptText("GPT answers."));
    String s = gw.session(new JsonArray());
    try (SseReader sse = gw.stream(s, "")) {
      Instant before = gw.clock.instant();
      assertEquals(List.of("claude:failed:rate_limited", "gpt:succeeded"), attempts(routing(gw.turn(sse, s, "one"))));
      Instant cooldown = Instant.parse(gw.target(CLAUDE).getString("cooldown_until"));
      // the fixture says retry-after: 17
      assertTrue(!cooldown.isBefore(before.plusSeconds(17)) && cooldown.isBefore(gw.clock.instant().plusSeconds(18)),
          cooldown + " vs " + before);

      JsonObject second = routing(gw.turn(sse, s, "two"));
      assertEquals(List.of("gpt:succeeded"), attempts(second));
      assertEquals(new JsonArray().add("claude"), second.getJsonArray("skipped"));
      gw.clock.advance(Duration.ofSeconds(10));
      assertEquals(List.of("gpt:succeeded"), attempts(routing(gw.turn(sse, s, "three"))));
      assertEquals(1, gw.claude.requests().size(), "no request reached the target before its deadline");

      gw.clock.advance(Duration.ofSeconds(8));
      assertEquals(List.of("claude:succeeded"), attempts(routing(gw.turn(sse, s, "four"))));
      assertEquals(2, gw.claude.requests().size());
    }
  }

  @Test
  void shouldFailOverWhenTheFirstTargetHangsPastTheAttemptTimeout() throws Exception {
    gw = RoutedGateway.start(RoutedGateway.routes(null, "timeouts: { first_token: 300ms, attempt: 300ms, total: 30s }"));
    gw.claude.enqueue(Reply.hangs());
    gw.gpt.enqueue(gptText("GPT answers."));
    String s = gw.session(new JsonArray());
    try (SseReader sse = gw.stream(s, "")) {
      JsonObject routing = routing(gw.turn(sse, s, "hello"));
      assertEquals(List.of("claude:failed:timeout", "gpt:succeeded"), attempts(routing));
      assertTrue(routing.getJsonArray("attempts").getJsonObject(0).getDouble("latency_ms") >= 300, routing.encode());
    }
    assertNotNull(gw.claude.resets().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS),
        "the hung request was reset, not left open");
  }

  @Test
  void shouldFailOverWhenAStreamedCallHangsPastTheFirstTokenTimeout() throws Exception {
    gw = RoutedGateway.start(RoutedGateway.routes(null, "timeouts: { first_token: 300ms, attempt: 30s, total: 30s }"));
    // headers and a few bytes of the first event arrive, then nothing: only a first-token limit catches this
    gw.claude.enqueue(Reply.fixture("anthropic/stream_text.sse").stallAfter(10));
    gw.gpt.enqueue(Reply.fixture("openai-chat/stream_text.sse"));
    String s = gw.session(new JsonArray());
    try (SseReader sse = gw.stream(s, "?event_deltas[]=agent.message")) {
      JsonObject routing = routing(gw.turn(sse, s, "hello"));
      assertEquals(List.of("claude:failed:timeout", "gpt:succeeded"), attempts(routing));
      double waited = routing.getJsonArray("attempts").getJsonObject(0).getDouble("latency_ms");
      assertTrue(waited >= 300 && waited < 30_000, "the first-token limit, not the attempt limit, ended it: " + waited);
    }
    assertNotNull(gw.claude.resets().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
  }

  @Test
  void shouldFailOverWhenAStreamIsCutBeforeItsFirstEvent() throws Exception {
    gw = RoutedGateway.start(RoutedGateway.routes(null, null));
    // ten bytes of the first SSE event, then the connection closes
    gw.claude.enqueue(Reply.fixture("anthropic/stream_text.sse").cutAfter(10));
    gw.gpt.enqueue(Reply.fixture("openai-chat/stream_text.sse"));
    String s = gw.session(new JsonArray());
    // a subscriber that wants message previews makes the agent loop stream the model call
    try (SseReader sse = gw.stream(s, "?event_deltas[]=agent.message")) {
      List<SseReader.Frame> frames = gw.turn(sse, s, "hello");
      JsonObject routing = routing(frames);
      assertEquals(List.of("claude:failed:network", "gpt:succeeded"), attempts(routing));
      assertTrue(types(frames).contains("event_delta"), "the answer streamed from GPT: " + types(frames));
      assertTrue(types(frames).contains("agent.message"));
    }
    assertTrue(gw.claude.lastRequest().json().getBoolean("stream"));
    assertTrue(gw.gpt.lastRequest().json().getBoolean("stream"));
  }

  @Test
  void shouldOpenTheBreakerOnRepeatedMalformedToolCallsSkipTheTargetAndRecoverThroughHalfOpen() throws Exception {
    gw = RoutedGateway.start(RoutedGateway.routes(
        "{ window: 4, min_calls: 2, failure_rate: 50, open_for: 60s, half_open_probes: 1 }", null));
    // tool calls whose input breaks the tool's input_schema: no city, a number for a string
    gw.claude.enqueue(claudeToolUse("get_weather", new JsonObject().put("town", "Paris")))
        .enqueue(claudeToolUse("get_weather", new JsonObject().put("city", 75)))
        .otherwise(claudeText("Claude has recovered."));
    gw.gpt.otherwise(gptText("GPT answers."));
    JsonObject schema = new JsonObject().put("type", "object")
        .put("properties", new JsonObject().put("city", new JsonObject().put("type", "string")))
        .put("required", new JsonArray().add("city"));
    String s = gw.session(new JsonArray().add(new JsonObject().put("type", "custom").put("name", "get_weather")
        .put("description", "Weather for a city").put("input_schema", schema)));
    try (SseReader sse = gw.stream(s, "")) {
      for (String text : List.of("weather in Paris?", "and in Lyon?")) {
        List<SseReader.Frame> frames = gw.turn(sse, s, text);
        assertEquals(List.of("claude:failed:malformed", "gpt:succeeded"), attempts(routing(frames)));
        assertTrue(!types(frames).contains("agent.custom_tool_use"), "a broken tool call never reaches the client");
      }
      JsonObject target = gw.target(CLAUDE);
      assertEquals("open", target.getString("state"), target.encode());
      assertEquals("malformed", target.getString("last_failure"));
      assertEquals(false, target.getBoolean("available"));

      JsonObject skipped = routing(gw.turn(sse, s, "and in Nice?"));
      assertEquals(List.of("gpt:succeeded"), attempts(skipped));
      assertEquals(new JsonArray().add("claude"), skipped.getJsonArray("skipped"));
      assertEquals(2, gw.claude.requests().size(), "an open breaker keeps calls away");

      gw.clock.advance(Duration.ofSeconds(61));
      JsonObject probe = routing(gw.turn(sse, s, "and in Lille?"));
      assertEquals(List.of("claude:succeeded"), attempts(probe), "the half-open probe went to Claude");
      assertEquals("closed", gw.target(CLAUDE).getString("state"), "one good probe closed the breaker");
      assertEquals(List.of("claude:succeeded"), attempts(routing(gw.turn(sse, s, "and in Metz?"))));
    }
  }

  @Test
  void shouldRescheduleWhenEveryTargetIsDownAndEndWithRetriesExhausted() throws Exception {
    gw = RoutedGateway.start(RoutedGateway.routes(null, null));
    gw.claude.otherwise(Reply.fixture("anthropic/error_529_overloaded.json"));
    gw.gpt.otherwise(Reply.fixture("openai-chat/error_503_overloaded.json"));
    String s = gw.session(new JsonArray());
    try (SseReader sse = gw.stream(s, "")) {
      List<SseReader.Frame> frames = gw.turn(sse, s, "hello");
      List<String> t = types(frames);
      List<JsonObject> errors = frames.stream().filter(f -> f.event().equals("session.error")).map(SseReader.Frame::json).toList();
      assertEquals(3, errors.size(), t.toString());
      assertEquals(2, t.stream().filter("session.status_rescheduled"::equals).count(), t.toString());
      for (int i = 0; i < 3; i++) {
        JsonObject error = errors.get(i).getJsonObject("error");
        assertEquals("model_overloaded_error", error.getString("type"));
        assertEquals(i < 2 ? "retrying" : "exhausted", error.getJsonObject("retry_status").getString("type"));
      }
      // every error closes a failed model call; each retrying one is followed by a rescheduling
      for (int i = 0; i < t.size(); i++) {
        if (t.get(i).equals("session.error")) {
          assertEquals("span.model_request_end", t.get(i - 1), t.toString());
          assertEquals(i == t.lastIndexOf("session.error") ? "session.status_idle" : "session.status_rescheduled",
              t.get(i + 1), t.toString());
        }
      }
      assertEquals("retries_exhausted", frames.get(frames.size() - 1).json().getJsonObject("stop_reason").getString("type"));
      for (SseReader.Frame f : frames) {
        if (f.event().equals("span.model_request_end")) {
          assertTrue(f.json().getBoolean("is_error"));
          assertEquals(List.of("claude:failed:overloaded", "gpt:failed:overloaded"), attempts(f.json().getJsonObject("routing")));
        }
      }
    }
    assertEquals(3, gw.claude.requests().size());
    assertEquals(3, gw.gpt.requests().size());
  }

  @Test
  void shouldRetryARescheduledTurnAndAnswerWhenATargetComesBack() throws Exception {
    gw = RoutedGateway.start(RoutedGateway.routes(null, null));
    gw.claude.enqueue(Reply.fixture("anthropic/error_529_overloaded.json"))
        .otherwise(Reply.fixture("anthropic/error_529_overloaded.json"));
    gw.gpt.enqueue(Reply.fixture("openai-chat/error_503_overloaded.json")).otherwise(gptText("GPT is back."));
    String s = gw.session(new JsonArray());
    try (SseReader sse = gw.stream(s, "")) {
      List<SseReader.Frame> frames = gw.turn(sse, s, "hello");
      List<String> t = types(frames);
      assertEquals(List.of("session.error", "session.status_rescheduled"),
          t.subList(t.indexOf("session.error"), t.indexOf("session.error") + 2), t.toString());
      assertEquals(1, t.stream().filter("session.error"::equals).count(), t.toString());
      JsonObject error = frames.get(t.indexOf("session.error")).json().getJsonObject("error");
      assertEquals("retrying", error.getJsonObject("retry_status").getString("type"));
      assertTrue(t.lastIndexOf("agent.message") > t.indexOf("session.status_rescheduled"), t.toString());
      assertEquals(List.of("claude:failed:overloaded", "gpt:succeeded"), attempts(routing(frames)));
      assertEquals("end_turn", frames.get(frames.size() - 1).json().getJsonObject("stop_reason").getString("type"));
    }
  }

  @Test
  void shouldSkipAForceOpenedTargetUntilAnOperatorResetsIt() throws Exception {
    gw = RoutedGateway.start(RoutedGateway.routes(null, null));
    gw.claude.otherwise(claudeText("Claude answers."));
    gw.gpt.otherwise(gptText("GPT answers."));
    String s = gw.session(new JsonArray());
    try (SseReader sse = gw.stream(s, "")) {
      assertEquals(200, gw.admin("/admin/targets/force-open", new JsonObject().put("target", CLAUDE)).status());
      assertEquals("forced_open", gw.target(CLAUDE).getString("state"));
      JsonObject routing = routing(gw.turn(sse, s, "one"));
      assertEquals(List.of("gpt:succeeded"), attempts(routing));
      assertEquals(new JsonArray().add("claude"), routing.getJsonArray("skipped"));
      assertEquals(0, gw.claude.requests().size());

      assertEquals(200, gw.admin("/admin/targets/reset", new JsonObject().put("target", CLAUDE)).status());
      assertEquals("closed", gw.target(CLAUDE).getString("state"));
      assertEquals(List.of("claude:succeeded"), attempts(routing(gw.turn(sse, s, "two"))));
    }
    assertEquals(404, gw.admin("/admin/targets/reset", new JsonObject().put("target", "nobody/none")).status());
    assertEquals(400, gw.admin("/admin/targets/explode", new JsonObject().put("target", CLAUDE)).status());
  }

  @Test
  void shouldRefuseTenantKeysOnAdminEndpointsAndAcceptTheAdminKey() throws Exception {
    gw = RoutedGateway.start(RoutedGateway.routes(null, null));
    assertEquals(401, gw.http.get("/admin/targets", dev.junction.testing.Gateway.KEY).status());
    assertEquals(401, gw.http.post("/admin/reload", dev.junction.testing.Gateway.KEY, "{}").status());
    assertEquals(401, gw.http.post("/admin/targets/force-open", dev.junction.testing.Gateway.OTHER_KEY,
        new JsonObject().put("target", CLAUDE)).status());
    assertEquals(401, gw.http.get("/admin/targets", "no-such-key").status());
    assertEquals(200, gw.http.get("/admin/targets", dev.junction.testing.Gateway.ADMIN_KEY).status());
    assertEquals(200, gw.admin("/admin/reload", new JsonObject()).status());
    assertEquals(401, gw.http.get("/v1/agents", dev.junction.testing.Gateway.ADMIN_KEY).status(),
        "an admin key is not a tenant key either");
    assertEquals("closed", gw.target(CLAUDE).getString("state"), "configured targets are listed before their first call");
    assertEquals("closed", gw.target(RoutedGateway.GPT).getString("state"));
  }
}
