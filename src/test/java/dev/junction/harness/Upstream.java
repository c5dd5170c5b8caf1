package dev.junction.harness;

import dev.junction.testing.FakeUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Anthropic-shaped replies for scripting a fake model per turn, and the gateway settings that point at it. */
final class Upstream {
  private Upstream() {
  }

  static FakeUpstream start(Vertx vertx) throws Exception {
    return FakeUpstream.start(vertx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static FakeUpstream.Reply text(String text) {
    return reply(new JsonArray().add(new JsonObject().put("type", "text").put("text", text)), "end_turn");
  }

  static FakeUpstream.Reply toolUse(String id, String name, JsonObject input) {
    return reply(new JsonArray().add(new JsonObject().put("type", "text").put("text", "Let me check."))
        .add(new JsonObject().put("type", "tool_use").put("id", id).put("name", name).put("input", input)), "tool_use");
  }

  static FakeUpstream.Reply reply(JsonArray content, String stopReason) {
    JsonObject body = new JsonObject().put("id", "msg_" + System.nanoTime()).put("type", "message").put("role", "assistant")
        .put("model", "claude-sonnet-4-6").put("content", content).put("stop_reason", stopReason).putNull("stop_sequence")
        .put("usage", new JsonObject().put("input_tokens", 100).put("output_tokens", 20)
            .put("cache_read_input_tokens", 0).put("cache_creation_input_tokens", 0));
    return FakeUpstream.Reply.status(200).body(body.encode());
  }

  /** A streamed Anthropic text reply whose text arrives in the given pieces, each its own SSE event. */
  static FakeUpstream.Reply streamText(String... pieces) {
    StringBuilder sse = new StringBuilder();
    sse.append(event("message_start", new JsonObject().put("type", "message_start").put("message", new JsonObject()
        .put("id", "msg_s").put("type", "message").put("role", "assistant").put("model", "claude-sonnet-4-6")
        .put("content", new JsonArray()).putNull("stop_reason").putNull("stop_sequence")
        .put("usage", new JsonObject().put("input_tokens", 50).put("output_tokens", 1)))));
    sse.append(event("content_block_start", new JsonObject().put("type", "content_block_start").put("index", 0)
        .put("content_block", new JsonObject().put("type", "text").put("text", ""))));
    for (String p : pieces) {
      sse.append(event("content_block_delta", new JsonObject().put("type", "content_block_delta").put("index", 0)
          .put("delta", new JsonObject().put("type", "text_delta").put("text", p))));
    }
    sse.append(event("content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", 0)));
    sse.append(event("message_delta", new JsonObject().put("type", "message_delta")
        .put("delta", new JsonObject().put("stop_reason", "end_turn").putNull("stop_sequence"))
        .put("usage", new JsonObject().put("output_tokens", 12))));
    sse.append(event("message_stop", new JsonObject().put("type", "message_stop")));
    return FakeUpstream.Reply.status(200).header("content-type", "text/event-stream").body(sse.toString()).drip(64, 5);
  }

  private static String event(String name, JsonObject data) {
    return "event: " + name + "\ndata: " + data.encode() + "\n\n";
  }

  /** Gateway settings: one Anthropic provider at the fake upstream, fast retries. */
  static Map<String, Object> gatewayConfig(FakeUpstream upstream) {
    return Map.of(
        "server", Map.of("port", 0, "host", "127.0.0.1", "event_loops", 2),
        "providers", Map.of("anthropic", Map.of("kind", "anthropic", "base_url", upstream.baseUrl(),
            "api_key", "env:TEST_ANTHROPIC_KEY")),
        "harness", Map.of("max_retries", 2, "retry_base_ms", 10, "retry_max_ms", 50));
  }

  static Map<String, String> env() {
    return Map.of("TEST_ANTHROPIC_KEY", "sk-test-upstream");
  }
}
