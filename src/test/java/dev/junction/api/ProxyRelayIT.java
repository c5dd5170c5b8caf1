package dev.junction.api;

import dev.junction.testing.FakeUpstream.Reply;
import dev.junction.testing.Gateway;
import dev.junction.testing.Http;
import dev.junction.testing.SseReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast path: a target speaking the caller's protocol receives the caller's own body with only
 * the model changed (fields the canonical form does not model survive); a failover to a target of
 * another protocol gets the translated canonical request instead. A route table of its own maps
 * the model alias {@code fast} to Claude Haiku, then GPT.
 */
class ProxyRelayIT {
  private ProxyRig rig;

  @BeforeEach
  void start() throws Exception {
    rig = ProxyRig.startWithFastRoute();
  }

  @AfterEach
  void stop() throws Exception {
    rig.close();
  }

  private static JsonObject anthropicBody() {
    return new JsonObject().put("model", "fast").put("max_tokens", 300).put("service_tier", "auto")
        .put("context_management", new JsonObject().put("edits", new JsonArray().add(new JsonObject().put("type", "clear_tool_uses_20250919"))))
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "Hello").put("cache_control", new JsonObject().put("type", "ephemeral"))))));
  }

  @Test
  void aSameProtocolTargetGetsTheCallersBodyWithOnlyTheModelChanged() {
    rig.anthropic.enqueue(Reply.fixture("anthropic/message_text.json"));
    JsonObject body = anthropicBody();
    Http.Reply r = rig.http.post("/v1/messages", Gateway.KEY, body);
    assertEquals(200, r.status(), r.body());
    assertEquals("fast", r.header("x-junction-route"));
    assertEquals("anthropic/claude-haiku-4-5", r.header("x-junction-target"));
    JsonObject sent = rig.anthropic.lastRequest().json();
    assertEquals(body.copy().put("model", "claude-haiku-4-5"), sent);
  }

  @Test
  void theCallersBytesGoUpstreamAsTheyCameWithOnlyTheModelCutIn() {
    rig.anthropic.enqueue(Reply.fixture("anthropic/message_text.json"));
    // numbers, escapes and spacing that an encoder would write differently
    String body = "{\"model\": \"fast\", \"max_tokens\": 3.0E2, \"temperature\": 1.0,\n \"messages\": [{\"role\":\"user\","
        + "\"content\":\"caf\\u00e9 \\/ ok\"}], \"metadata\": {\"user_id\": \"u1\"} }";
    Http.Reply r = rig.http.post("/v1/messages", Gateway.KEY, body);
    assertEquals(200, r.status(), r.body());
    String sent = rig.anthropic.lastRequest().body().toString();
    assertEquals("{\"model\": \"claude-haiku-4-5\",\"max_tokens\": 3.0E2,\"temperature\": 1.0,\"messages\": [{\"role\":\"user\","
        + "\"content\":\"caf\\u00e9 \\/ ok\"}],\"metadata\": {\"user_id\": \"u1\"}}", sent);
  }

  @Test
  void aSameProtocolReplyReachesTheCallerAsTheUpstreamSentIt() throws Exception {
    String upstream = new String(getClass().getResourceAsStream("/fixtures/upstreams/anthropic/message_text.json").readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8);
    rig.anthropic.enqueue(Reply.fixture("anthropic/message_text.json"));
    Http.Reply r = rig.http.post("/v1/messages", Gateway.KEY, anthropicBody());
    assertEquals(200, r.status(), r.body());
    assertEquals(upstream, r.body(), "byte for byte, fields the canonical form does not model included");
    assertTrue(new JsonObject(r.body()).containsKey("diagnostics"));

    String chat = new String(getClass().getResourceAsStream("/fixtures/upstreams/openai-chat/completion_text.json").readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8);
    rig.openai.enqueue(Reply.fixture("openai-chat/completion_text.json"));
    Http.Reply c = ProxyChatIT.postBearer(rig.http, "/v1/chat/completions", new JsonObject().put("model", "gpt-5.4")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi"))));
    assertEquals(200, c.status(), c.body());
    assertEquals(chat, c.body());
  }

  @Test
  void aFailoverToAnotherProtocolSendsTheTranslationNotTheCallersBody() {
    rig.anthropic.enqueue(Reply.fixture("anthropic/error_529_overloaded.json"));
    rig.openai.enqueue(Reply.fixture("openai-chat/completion_text.json"));
    Http.Reply r = rig.http.post("/v1/messages", Gateway.KEY, anthropicBody());
    assertEquals(200, r.status(), r.body());
    assertEquals("2", r.header("x-junction-attempts"));
    assertEquals("claude-haiku-4-5", rig.anthropic.lastRequest().json().getString("model"));
    JsonObject sent = rig.openai.lastRequest().json();
    assertEquals("gpt-5.4", sent.getString("model"));
    assertFalse(sent.containsKey("context_management"));
    assertFalse(sent.containsKey("service_tier"));
    assertEquals(300, sent.getInteger("max_completion_tokens"));
    assertEquals("Hello", sent.getJsonArray("messages").getJsonObject(0).getString("content"));
    // and the OpenAI reply comes back translated into an Anthropic message
    JsonObject reply = new JsonObject(r.body());
    assertEquals("message", reply.getString("type"), r.body());
    assertEquals("assistant", reply.getString("role"));
    assertFalse(reply.containsKey("choices"), "not the OpenAI shape");
    assertEquals("text", reply.getJsonArray("content").getJsonObject(0).getString("type"));
  }

  @Test
  void aChatCallersBodyReachesAnOpenAiTargetWithItsOwnFields() {
    rig.openai.enqueue(Reply.fixture("openai-chat/completion_text.json"));
    JsonObject body = new JsonObject().put("model", "gpt-5.4").put("seed", 7)
        .put("response_format", new JsonObject().put("type", "json_object")).put("logprobs", false)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));
    Http.Reply r = ProxyChatIT.postBearer(rig.http, "/v1/chat/completions", body);
    assertEquals(200, r.status(), r.body());
    assertEquals(body, rig.openai.lastRequest().json());
  }

  @Test
  void aRelayedChatStreamAsksForUsageEvenWhenItsCallerDidNot() throws Exception {
    rig.openai.enqueue(Reply.fixture("openai-chat/stream_text.sse"));
    JsonObject body = new JsonObject().put("model", "gpt-5.4").put("stream", true).put("seed", 7)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));
    List<SseReader.Frame> frames = ProxyChatIT.stream(rig.http, "/v1/chat/completions", body, Map.of());
    JsonObject sent = rig.openai.lastRequest().json();
    assertEquals(7, sent.getInteger("seed"));
    assertTrue(sent.getJsonObject("stream_options").getBoolean("include_usage"));
    assertEquals("[DONE]", frames.get(frames.size() - 1).data());
    for (SseReader.Frame f : frames.subList(0, frames.size() - 1)) {
      assertFalse(f.json().getJsonArray("choices").isEmpty(), "the caller did not ask for the usage chunk");
    }
    String metrics = rig.http.get("/metrics", Gateway.KEY).body();
    assertTrue(metrics.contains("junction_tokens_total{kind=\"output\",target=\"openai/gpt-5.4\",tenant=\"tenant-a\"}"), metrics);
  }

  @Test
  void aNonStreamingRelayCarriesNoStreamOptions() {
    rig.openai.enqueue(Reply.fixture("openai-chat/completion_text.json"));
    JsonObject body = new JsonObject().put("model", "gpt-5.4").put("stream", false)
        .put("stream_options", new JsonObject().put("include_usage", true))
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));
    assertEquals(200, ProxyChatIT.postBearer(rig.http, "/v1/chat/completions", body).status());
    JsonObject sent = rig.openai.lastRequest().json();
    assertNull(sent.getValue("stream_options"));
    assertFalse(sent.containsKey("stream"));
  }
}
