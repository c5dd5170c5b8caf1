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

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the proxy does when upstreams misbehave or callers do: failover before commit, an explicit
 * error after it, cancellation reaching the upstream, bad input refused before anything goes
 * upstream; and the token count, model list and metrics.
 */
class ProxyReliabilityIT {
  private ProxyRig rig;
  private Http http;

  @BeforeEach
  void start() throws Exception {
    rig = ProxyRig.start();
    http = rig.http;
  }

  @AfterEach
  void stop() throws Exception {
    rig.close();
  }

  private static JsonObject messages(String model, boolean stream) {
    return new JsonObject().put("model", model).put("max_tokens", 256).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hello")));
  }

  private static JsonObject chat(String model, boolean stream) {
    return new JsonObject().put("model", model).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hello")));
  }

  private List<SseReader.Frame> anthropicStream(JsonObject body, Map<String, String> headersOut) throws Exception {
    HttpResponse<InputStream> resp = http.client().send(http.request("/v1/messages").header("x-api-key", Gateway.KEY)
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, resp.statusCode());
    for (String name : List.of("x-junction-route", "x-junction-target", "x-junction-attempts", "x-junction-overhead-ms")) {
      headersOut.put(name, resp.headers().firstValue(name).orElse(null));
    }
    List<SseReader.Frame> frames = new ArrayList<>();
    try (SseReader sse = new SseReader(resp.body())) {
      for (SseReader.Frame f = sse.next(10_000); f != null; f = sse.next(10_000)) {
        frames.add(f);
      }
    }
    return frames;
  }

  private static List<String> events(List<SseReader.Frame> frames) {
    return frames.stream().map(SseReader.Frame::event).toList();
  }

  private static int offsetOf(String fixture, String marker) {
    int at = Fixtures.bytes(fixture).toString().indexOf(marker);
    assertTrue(at > 0, marker);
    return at;
  }

  // ---- failover before commit

  @Test
  void anOverloadedFirstTargetFailsOverAndTheAnswerSaysTwoAttempts() {
    rig.anthropic.enqueue(Reply.fixture("anthropic/error_529_overloaded.json"));
    rig.openai.enqueue(Reply.fixture("openai-chat/completion_text.json"));
    Http.Reply r = http.post("/v1/messages", Gateway.KEY, messages("claude-sonnet-4-6", false));
    assertEquals(200, r.status(), r.body());
    assertEquals("2", r.header("x-junction-attempts"));
    assertEquals("openai/gpt-5.4", r.header("x-junction-target"));
    String expected = Fixtures.json("openai-chat/completion_text.json").getJsonArray("choices").getJsonObject(0)
        .getJsonObject("message").getString("content");
    assertEquals(expected, r.json().getJsonArray("content").getJsonObject(0).getString("text"));
    assertEquals(1, rig.anthropic.requests().size());
    assertEquals("gpt-5.4", rig.openai.lastRequest().json().getString("model"));
  }

  @Test
  void aStreamWhoseFirstTargetFailsBeforeItsFirstByteFailsOverInvisibly() throws Exception {
    rig.anthropic.enqueue(Reply.fixture("anthropic/error_500_api_error.json"));
    rig.openai.enqueue(Reply.fixture("openai-chat/stream_text.sse"));
    Map<String, String> headers = new java.util.HashMap<>();
    List<SseReader.Frame> frames = anthropicStream(messages("claude-sonnet-4-6", true), headers);
    assertEquals("2", headers.get("x-junction-attempts"));
    assertEquals("openai/gpt-5.4", headers.get("x-junction-target"));
    assertEquals("message_start", frames.get(0).event());
    assertEquals("message_stop", frames.get(frames.size() - 1).event());
    assertFalse(events(frames).contains("error"));
  }

  @Test
  void whenEveryTargetFailsAChatCallerGetsAnOpenAiShapedError() {
    rig.openai.enqueue(Reply.fixture("openai-chat/error_500_server_error.json"));
    rig.anthropic.enqueue(Reply.fixture("anthropic/error_500_api_error.json"));
    Http.Reply r = ProxyChatIT.postBearer(http, "/v1/chat/completions", chat("gpt-5.4", false));
    assertEquals(502, r.status(), r.body());
    JsonObject error = r.json().getJsonObject("error");
    assertEquals("server_error", error.getString("type"));
    assertTrue(error.containsKey("param") && error.containsKey("code"));
    assertEquals("2", r.header("x-junction-attempts"));
    assertEquals("requested-openai", r.header("x-junction-route"));
  }

  // ---- explicit error after commit

  @Test
  void anAnthropicStreamCutAfterItsFirstContentEndsWithAnErrorEventNotAStop() throws Exception {
    int cut = offsetOf("anthropic/stream_text.sse", "! How can I");
    rig.anthropic.enqueue(Reply.fixture("anthropic/stream_text.sse").cutAfter(cut));
    rig.openai.otherwise(Reply.fixture("openai-chat/completion_text.json"));
    Map<String, String> headers = new java.util.HashMap<>();
    List<SseReader.Frame> frames = anthropicStream(messages("claude-sonnet-4-6", true), headers);
    List<String> events = events(frames);
    assertTrue(events.contains("content_block_delta"), events.toString());
    assertEquals("error", events.get(events.size() - 1), events.toString());
    assertFalse(events.contains("message_stop"));
    JsonObject error = frames.get(frames.size() - 1).json();
    assertEquals("error", error.getString("type"));
    assertNotNull(error.getJsonObject("error").getString("type"));
    assertEquals("1", headers.get("x-junction-attempts"));
    assertTrue(rig.openai.requests().isEmpty(), "no failover after the first byte went out");
    // the tokens the stream reported before it broke were generated: they are billed
    String metrics = http.get("/metrics", Gateway.KEY).body();
    assertTrue(metrics.contains("junction_tokens_total{kind=\"input\",target=\"anthropic/claude-sonnet-4-6\",tenant=\"tenant-a\"} 21"),
        metrics);
  }

  @Test
  void anUpstreamErrorEventMidStreamReachesTheAnthropicCaller() throws Exception {
    rig.anthropic.enqueue(Reply.fixture("anthropic/stream_error_midstream.sse"));
    List<SseReader.Frame> frames = anthropicStream(messages("claude-sonnet-4-6", true), new java.util.HashMap<>());
    SseReader.Frame last = frames.get(frames.size() - 1);
    assertEquals("error", last.event());
    assertEquals("overloaded_error", last.json().getJsonObject("error").getString("type"));
    assertFalse(events(frames).contains("message_stop"));
  }

  @Test
  void aChatStreamThatFailsMidWayEndsWithAnErrorChunkAndNoDone() throws Exception {
    rig.openai.enqueue(Reply.fixture("openai-chat/stream_error_midstream.sse"));
    List<SseReader.Frame> frames = ProxyChatIT.stream(http, "/v1/chat/completions", chat("gpt-5.4", true), Map.of());
    StringBuilder text = new StringBuilder();
    for (SseReader.Frame f : frames.subList(0, frames.size() - 1)) {
      JsonArray choices = f.json().getJsonArray("choices");
      text.append(choices.getJsonObject(0).getJsonObject("delta").getString("content", ""));
    }
    assertEquals("Here is the first part of a long answer", text.toString());
    SseReader.Frame last = frames.get(frames.size() - 1);
    JsonObject error = last.json().getJsonObject("error");
    assertNotNull(error, last.data());
    assertEquals("server_error", error.getString("type"));
    assertTrue(frames.stream().noneMatch(f -> "[DONE]".equals(f.data())));
    // over HTTP/2 (this client's h2c) the response's end closes its stream: that is not the caller leaving
    String metrics = http.get("/metrics", Gateway.KEY).body();
    assertTrue(metrics.contains("junction_model_attempts_total{outcome=\"stream_server\",target=\"openai/gpt-5.4\"} 1"), metrics);
  }

  @Test
  void aChatStreamCutByTheNetworkEndsWithAnErrorChunk() throws Exception {
    int cut = offsetOf("openai-chat/stream_text.sse", "data: [DONE]");
    rig.openai.enqueue(Reply.fixture("openai-chat/stream_text.sse").cutAfter(cut - 1));
    List<SseReader.Frame> frames = ProxyChatIT.stream(http, "/v1/chat/completions", chat("gpt-5.4", true), Map.of());
    assertNotNull(frames.get(frames.size() - 1).json().getJsonObject("error"));
    assertTrue(frames.stream().noneMatch(f -> "[DONE]".equals(f.data())));
  }

  // ---- cancellation

  @Test
  void aCallerThatDisconnectsMidStreamResetsTheUpstreamRequest() throws Exception {
    rig.anthropic.enqueue(Reply.fixture("anthropic/stream_text.sse").drip(64, 300));
    byte[] body = messages("claude-sonnet-4-6", true).encode().getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", rig.gateway.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nx-api-key: " + Gateway.KEY
          + "\r\ncontent-type: application/json\r\ncontent-length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[4096];
      StringBuilder seen = new StringBuilder();
      while (!seen.toString().contains("event: message_start")) {
        int n = in.read(buf);
        assertTrue(n > 0, "the stream ended before its first event");
        seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
      assertTrue(seen.toString().startsWith("HTTP/1.1 200"), seen.toString());
    }
    var reset = rig.anthropic.resets().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals("/v1/messages", reset.path());
  }

  // ---- bad input

  @Test
  void badAnthropicInputIsA400EnvelopeAndNothingGoesUpstream() {
    for (String body : List.of("{not json", "{\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":10}",
        "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":\"ten\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":10,\"messages\":\"hello\"}",
        "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":10,\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}",
        "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"hologram\"}]}]}")) {
      Http.Reply r = http.post("/v1/messages", Gateway.KEY, body);
      assertEquals(400, r.status(), body + " -> " + r.body());
      assertEquals("error", r.json().getString("type"));
      assertEquals("invalid_request_error", r.json().getJsonObject("error").getString("type"));
    }
    Http.Reply missing = http.post("/v1/messages", Gateway.KEY, "{\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertTrue(missing.json().getJsonObject("error").getString("message").startsWith("model"));
    assertTrue(rig.anthropic.requests().isEmpty());
    assertTrue(rig.openai.requests().isEmpty());
  }

  @Test
  void badChatInputIsA400InOpenAiShapeAndNothingGoesUpstream() {
    for (String body : List.of("{not json", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        "{\"model\":\"gpt-5.4\"}", "{\"model\":\"gpt-5.4\",\"messages\":{}}",
        "{\"model\":\"gpt-5.4\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        "{\"model\":\"gpt-5.4\",\"messages\":[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":"
            + "[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{broken\"}}]}]}")) {
      Http.Reply r = http.send(http.request("/v1/chat/completions").header("authorization", "Bearer " + Gateway.KEY)
          .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
      assertEquals(400, r.status(), body + " -> " + r.body());
      JsonObject error = r.json().getJsonObject("error");
      assertNotNull(error, r.body());
      assertEquals("invalid_request_error", error.getString("type"));
      assertTrue(error.containsKey("param") && error.containsKey("code"));
    }
    assertTrue(rig.anthropic.requests().isEmpty());
    assertTrue(rig.openai.requests().isEmpty());
  }

  @Test
  void aWrongKeyIsA401InTheCallersShape() {
    Http.Reply anthropic = http.post("/v1/messages", "wrong-key", messages("claude-sonnet-4-6", false));
    assertEquals(401, anthropic.status());
    assertEquals("authentication_error", anthropic.json().getJsonObject("error").getString("type"));
    Http.Reply openai = http.send(http.request("/v1/chat/completions").header("authorization", "Bearer wrong-key")
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(chat("gpt-5.4", false).encode())).build());
    assertEquals(401, openai.status());
    assertEquals("authentication_error", openai.json().getJsonObject("error").getString("type"));
  }

  // ---- count_tokens, models, metrics

  @Test
  void countTokensForANonAnthropicTargetIsAMarkedEstimate() {
    Http.Reply r = http.post("/v1/messages/count_tokens", Gateway.KEY, new JsonObject().put("model", "gpt-5.4")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "x".repeat(400)))));
    assertEquals(200, r.status(), r.body());
    assertEquals("true", r.header("x-junction-estimate"));
    assertEquals(100, r.json().getLong("input_tokens"));
    assertTrue(rig.openai.requests().isEmpty() && rig.anthropic.requests().isEmpty());
  }

  @Test
  void countTokensForAnAnthropicTargetIsPassedThroughAndNotMarked() {
    rig.anthropic.enqueue(Reply.status(200).body("{\"input_tokens\":7}"));
    Http.Reply r = http.post("/v1/messages/count_tokens", Gateway.KEY, new JsonObject().put("model", "claude-sonnet-4-6")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "x".repeat(400)))));
    assertEquals(200, r.status(), r.body());
    assertEquals(7, r.json().getLong("input_tokens"));
    assertEquals("false", r.header("x-junction-estimate"));
    assertEquals("anthropic/claude-sonnet-4-6", r.header("x-junction-target"));
  }

  @Test
  void modelsListsTheConfiguredTargetsInBothShapes() {
    Http.Reply anthropic = http.send(http.request("/v1/models").header("x-api-key", Gateway.KEY)
        .header("anthropic-version", "2023-06-01").GET().build());
    assertEquals(200, anthropic.status());
    JsonObject list = anthropic.json();
    List<String> ids = list.getJsonArray("data").stream().map(o -> ((JsonObject) o).getString("id")).toList();
    assertEquals(List.of("claude-sonnet-4-6", "gpt-5.4"), ids.stream().sorted().toList(), "qwen has no provider here");
    JsonObject first = list.getJsonArray("data").getJsonObject(0);
    assertEquals("model", first.getString("type"));
    assertNotNull(first.getString("display_name"));
    java.time.OffsetDateTime.parse(first.getString("created_at"));
    assertEquals(false, list.getBoolean("has_more"));
    assertEquals(ids.get(0), list.getString("first_id"));
    assertEquals(ids.get(ids.size() - 1), list.getString("last_id"));

    Http.Reply openai = http.send(http.request("/v1/models").header("authorization", "Bearer " + Gateway.KEY).GET().build());
    assertEquals(200, openai.status());
    assertEquals("list", openai.json().getString("object"));
    JsonObject model = openai.json().getJsonArray("data").getJsonObject(0);
    assertEquals("model", model.getString("object"));
    assertTrue(model.getLong("created") > 0);
    assertNotNull(model.getString("owned_by"));
  }

  @Test
  void overheadAndTokensAppearInMetrics() {
    rig.anthropic.enqueue(Reply.fixture("anthropic/message_text.json"));
    assertEquals(200, http.post("/v1/messages", Gateway.KEY, messages("claude-sonnet-4-6", false)).status());
    String metrics = http.get("/metrics", Gateway.KEY).body();
    assertTrue(metrics.contains("junction_proxy_overhead_seconds_count{endpoint=\"messages\",mode=\"json\"} 1"), metrics);
    assertTrue(metrics.contains("junction_tokens_total{kind=\"input\",target=\"anthropic/claude-sonnet-4-6\",tenant=\"tenant-a\"} 21"),
        metrics);
    assertTrue(metrics.contains("junction_tokens_total{kind=\"output\",target=\"anthropic/claude-sonnet-4-6\",tenant=\"tenant-a\"} 12"),
        metrics);
  }
}
