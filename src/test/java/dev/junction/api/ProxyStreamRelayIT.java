package dev.junction.api;

import dev.junction.testing.Fixtures;
import dev.junction.testing.FakeUpstream.Reply;
import dev.junction.testing.Gateway;
import dev.junction.testing.Http;
import dev.junction.testing.SseReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streaming fast path: a target that speaks the caller's protocol has its stream relayed as it
 * sent it, while the gateway still reads what it must (usage for metrics and cost, tool calls for
 * the reply check, errors and cuts, which the caller receives as an error in its protocol). The
 * model alias {@code fast} routes to Claude Haiku, then GPT; {@code gpt-*} to GPT.
 */
class ProxyStreamRelayIT {
  private ProxyRig rig;

  @BeforeEach
  void start() throws Exception {
    rig = ProxyRig.startWithFastRoute();
  }

  @AfterEach
  void stop() throws Exception {
    rig.close();
  }

  private static JsonObject messages(String model, JsonArray tools) {
    JsonObject body = new JsonObject().put("model", model).put("max_tokens", 256).put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hello")));
    return tools == null ? body : body.put("tools", tools);
  }

  private static JsonObject chat(boolean includeUsage) {
    JsonObject body = new JsonObject().put("model", "gpt-5.4").put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hello")));
    return includeUsage ? body.put("stream_options", new JsonObject().put("include_usage", true)) : body;
  }

  private Http.Reply post(String path, JsonObject body) {
    return rig.http.send(rig.http.request(path).header("x-api-key", Gateway.KEY).header("authorization", "Bearer " + Gateway.KEY)
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build());
  }

  private static List<SseReader.Frame> frames(String body) throws Exception {
    List<SseReader.Frame> frames = new ArrayList<>();
    try (SseReader sse = new SseReader(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)))) {
      for (SseReader.Frame f = sse.next(1_000); f != null && (f.event() != null || f.data() != null); f = sse.next(1_000)) {
        frames.add(f);
      }
    }
    return frames;
  }

  private String metrics() {
    return rig.http.get("/metrics", Gateway.KEY).body();
  }

  @Test
  void anAnthropicStreamReachesAnAnthropicCallerByteForByteAndItsUsageIsCounted() {
    rig.anthropic.enqueue(Reply.fixture("anthropic/stream_text.sse"));
    Http.Reply r = post("/v1/messages", messages("claude-sonnet-4-6", null));
    assertEquals(200, r.status(), r.body());
    assertTrue(r.header("content-type").startsWith("text/event-stream"));
    assertEquals("anthropic/claude-sonnet-4-6", r.header("x-junction-target"));
    // pings included: the caller gets what the upstream sent, not a re-encoding of it
    assertEquals(Fixtures.bytes("anthropic/stream_text.sse").toString(), r.body());
    String metrics = metrics();
    assertTrue(metrics.contains("junction_tokens_total{kind=\"input\",target=\"anthropic/claude-sonnet-4-6\",tenant=\"tenant-a\"} 21"),
        metrics);
    assertTrue(metrics.contains("junction_tokens_total{kind=\"output\",target=\"anthropic/claude-sonnet-4-6\",tenant=\"tenant-a\"} 12"),
        metrics);
    assertTrue(metrics.contains("junction_proxy_overhead_seconds_count{endpoint=\"messages\",mode=\"stream\"} 1"), metrics);
  }

  @Test
  void aMessageStartWithoutAModelIsGivenTheTargetsModelAndTheRestIsRelayedAsSent() throws Exception {
    String sent = Fixtures.bytes("anthropic/stream_text.sse").toString().replace("\"model\":\"claude-sonnet-4-6\",", "");
    rig.anthropic.enqueue(Reply.fixture("anthropic/stream_text.sse").body(sent));
    Http.Reply r = post("/v1/messages", messages("fast", null));
    assertEquals(200, r.status(), r.body());
    assertEquals("claude-haiku-4-5", rig.anthropic.lastRequest().json().getString("model"));
    List<SseReader.Frame> frames = frames(r.body());
    JsonObject start = frames.get(0).json();
    assertEquals("claude-haiku-4-5", start.getJsonObject("message").getString("model"));
    assertEquals("msg_01LbtQ2wGxTnA6h3K9pVd5Ey", start.getJsonObject("message").getString("id"));
    assertEquals("standard", start.getJsonObject("message").getJsonObject("usage").getString("service_tier"),
        "fields the canonical form does not model survive the rewrite");
    String rest = sent.substring(sent.indexOf("event: content_block_start"));
    assertTrue(r.body().endsWith(rest), r.body());
  }

  @Test
  void aRelayedStreamCutMidWayEndsWithAnErrorEventAfterTheFramesThatArrived() throws Exception {
    String fixture = Fixtures.bytes("anthropic/stream_text.sse").toString();
    int cut = fixture.indexOf("! How can I");
    rig.anthropic.enqueue(Reply.fixture("anthropic/stream_text.sse").cutAfter(cut));
    Http.Reply r = post("/v1/messages", messages("claude-sonnet-4-6", null));
    assertEquals(200, r.status(), r.body());
    String complete = fixture.substring(0, fixture.lastIndexOf("event: content_block_delta", cut));
    assertTrue(r.body().startsWith(complete), r.body());
    List<SseReader.Frame> frames = frames(r.body().substring(complete.length()));
    assertEquals(1, frames.size(), "nothing of the cut frame, then the error: " + r.body());
    assertEquals("error", frames.get(0).event());
    assertEquals("api_error", frames.get(0).json().getJsonObject("error").getString("type"));
    assertFalse(r.body().contains("message_stop"));
    assertTrue(rig.openai.requests().isEmpty(), "no failover after the first byte went out");
    String metrics = metrics();
    assertTrue(metrics.contains("junction_model_attempts_total{outcome=\"stream_network\",target=\"anthropic/claude-sonnet-4-6\"} 1"),
        metrics);
    assertTrue(metrics.contains("junction_tokens_total{kind=\"input\",target=\"anthropic/claude-sonnet-4-6\",tenant=\"tenant-a\"}"),
        "tokens already generated are billed: " + metrics);
  }

  @Test
  void aRelayedToolCallIsStillCheckedAgainstTheToolsSchema() {
    rig.anthropic.enqueue(Reply.fixture("anthropic/stream_tool_use.sse"));
    JsonArray tools = new JsonArray().add(new JsonObject().put("name", "get_weather").put("input_schema",
        new JsonObject().put("type", "object").put("required", new JsonArray().add("city"))
            .put("properties", new JsonObject().put("city", new JsonObject().put("type", "string")))));
    Http.Reply r = post("/v1/messages", messages("claude-sonnet-4-6", tools));
    assertEquals(200, r.status(), r.body());
    assertEquals(Fixtures.bytes("anthropic/stream_tool_use.sse").toString(), r.body(), "too late to fail over");
    String metrics = metrics();
    assertTrue(metrics.contains("junction_model_attempts_total{outcome=\"stream_malformed\",target=\"anthropic/claude-sonnet-4-6\"} 1"),
        "the breaker hears of it, so the next call can be routed around it: " + metrics);
  }

  @Test
  void aChatStreamReachesAChatCallerAsSentWithTheUsageChunkItAskedFor() {
    rig.openai.enqueue(Reply.fixture("openai-chat/stream_text.sse"));
    Http.Reply r = post("/v1/chat/completions", chat(true));
    assertEquals(200, r.status(), r.body());
    assertEquals(Fixtures.bytes("openai-chat/stream_text.sse").toString(), r.body());
    String metrics = metrics();
    assertTrue(metrics.contains("junction_tokens_total{kind=\"input\",target=\"openai/gpt-5.4\",tenant=\"tenant-a\"} 19"), metrics);
    assertTrue(metrics.contains("junction_tokens_total{kind=\"output\",target=\"openai/gpt-5.4\",tenant=\"tenant-a\"} 10"), metrics);
  }

  @Test
  void aRelayedChatToolCallWithBrokenArgumentsEndsInAnErrorChunkWithoutDone() throws Exception {
    String id = "\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-5.4\"";
    String stream = "data: {" + id + ",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,"
        + "\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},"
        + "\"finish_reason\":null}],\"usage\":null}\n\n"
        + "data: {" + id + ",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{broken\"}}]},"
        + "\"finish_reason\":null}],\"usage\":null}\n\n"
        + "data: {" + id + ",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}],\"usage\":null}\n\n"
        + "data: [DONE]\n\n";
    rig.openai.enqueue(Reply.fixture("openai-chat/stream_text.sse").body(stream));
    Http.Reply r = post("/v1/chat/completions", chat(false));
    assertEquals(200, r.status(), r.body());
    List<SseReader.Frame> frames = frames(r.body());
    assertEquals(3, frames.size(), r.body());
    assertEquals("call_1", frames.get(0).json().getJsonArray("choices").getJsonObject(0).getJsonObject("delta")
        .getJsonArray("tool_calls").getJsonObject(0).getString("id"));
    JsonObject error = frames.get(2).json().getJsonObject("error");
    assertTrue(error.getString("message").contains("invalid JSON arguments"), error.encode());
    assertFalse(r.body().contains("[DONE]"));
    String metrics = metrics();
    assertTrue(metrics.contains("junction_model_attempts_total{outcome=\"stream_malformed\",target=\"openai/gpt-5.4\"} 1"), metrics);
  }

  @Test
  void aStreamFailedOverToAnotherProtocolIsTranslatedAndStillComplete() throws Exception {
    rig.anthropic.enqueue(Reply.fixture("anthropic/error_529_overloaded.json"));
    rig.openai.enqueue(Reply.fixture("openai-chat/stream_text.sse"));
    Http.Reply r = post("/v1/messages", messages("fast", null));
    assertEquals(200, r.status(), r.body());
    assertEquals("2", r.header("x-junction-attempts"));
    List<SseReader.Frame> frames = frames(r.body());
    assertEquals("message_start", frames.get(0).event());
    assertEquals("message_stop", frames.get(frames.size() - 1).event());
    StringBuilder text = new StringBuilder();
    for (SseReader.Frame f : frames) {
      if ("content_block_delta".equals(f.event())) {
        text.append(f.json().getJsonObject("delta").getString("text"));
      }
    }
    assertEquals("Hello! How can I help you today?", text.toString());
  }
}
