package dev.junction.app;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One simulated model reply, either text or a single tool call, encoded on the wire formats the
 * gateway's provider adapters decode: Anthropic Messages and OpenAI Chat Completions, as JSON or SSE.
 *
 * @param toolName null for a text reply
 * @param toolInput the tool call's arguments (for the demo: arguments that break the tool's schema)
 */
record SimulatedReply(String text, String toolName, JsonObject toolInput, int inputTokens, int outputTokens) {

  static SimulatedReply text(String text, int inputTokens) {
    return new SimulatedReply(text, null, null, inputTokens, Math.max(1, text.length() / 4));
  }

  /** A call whose {@code order} is a number where schemas ask for an {@code order_id} string. */
  static SimulatedReply brokenToolCall(String tool, int inputTokens) {
    return new SimulatedReply(null, tool, new JsonObject().put("order", 1234), inputTokens, 18);
  }

  private boolean isTool() {
    return toolName != null;
  }

  Buffer anthropicJson(String model) {
    JsonArray content = new JsonArray();
    if (isTool()) {
      content.add(new JsonObject().put("type", "tool_use").put("id", "toolu_sim" + System.nanoTime())
          .put("name", toolName).put("input", toolInput));
    } else {
      content.add(new JsonObject().put("type", "text").put("text", text));
    }
    return new JsonObject().put("id", "msg_sim" + System.nanoTime()).put("type", "message").put("role", "assistant")
        .put("model", model).put("content", content).put("stop_reason", isTool() ? "tool_use" : "end_turn")
        .putNull("stop_sequence").put("usage", new JsonObject().put("input_tokens", inputTokens)
            .put("output_tokens", outputTokens).put("cache_read_input_tokens", 0).put("cache_creation_input_tokens", 0))
        .toBuffer();
  }

  Buffer anthropicSse(String model) {
    StringBuilder sb = new StringBuilder();
    sse(sb, "message_start", new JsonObject().put("type", "message_start").put("message", new JsonObject()
        .put("id", "msg_sim" + System.nanoTime()).put("type", "message").put("role", "assistant").put("model", model)
        .put("content", new JsonArray()).putNull("stop_reason").putNull("stop_sequence")
        .put("usage", new JsonObject().put("input_tokens", inputTokens).put("output_tokens", 1))));
    if (isTool()) {
      sse(sb, "content_block_start", new JsonObject().put("type", "content_block_start").put("index", 0)
          .put("content_block", new JsonObject().put("type", "tool_use").put("id", "toolu_sim" + System.nanoTime())
              .put("name", toolName).put("input", new JsonObject())));
      sse(sb, "content_block_delta", new JsonObject().put("type", "content_block_delta").put("index", 0)
          .put("delta", new JsonObject().put("type", "input_json_delta").put("partial_json", toolInput.encode())));
    } else {
      sse(sb, "content_block_start", new JsonObject().put("type", "content_block_start").put("index", 0)
          .put("content_block", new JsonObject().put("type", "text").put("text", "")));
      for (String word : text.split("(?<= )")) {
        sse(sb, "content_block_delta", new JsonObject().put("type", "content_block_delta").put("index", 0)
            .put("delta", new JsonObject().put("type", "text_delta").put("text", word)));
      }
    }
    sse(sb, "content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", 0));
    sse(sb, "message_delta", new JsonObject().put("type", "message_delta").put("delta", new JsonObject()
        .put("stop_reason", isTool() ? "tool_use" : "end_turn").putNull("stop_sequence"))
        .put("usage", new JsonObject().put("output_tokens", outputTokens)));
    sse(sb, "message_stop", new JsonObject().put("type", "message_stop"));
    return Buffer.buffer(sb.toString());
  }

  Buffer chatJson(String model) {
    JsonObject message = new JsonObject().put("role", "assistant");
    if (isTool()) {
      message.putNull("content").put("tool_calls", new JsonArray().add(toolCall(0)));
    } else {
      message.put("content", text);
    }
    return chunkBase(model, "chat.completion").put("choices", new JsonArray().add(new JsonObject().put("index", 0)
        .put("message", message).put("finish_reason", isTool() ? "tool_calls" : "stop"))).put("usage", usage())
        .toBuffer();
  }

  Buffer chatSse(String model) {
    StringBuilder sb = new StringBuilder();
    if (isTool()) {
      chunk(sb, model, new JsonObject().put("role", "assistant").put("tool_calls", new JsonArray().add(toolCall(0))), null);
    } else {
      boolean first = true;
      for (String word : text.split("(?<= )")) {
        JsonObject delta = new JsonObject().put("content", word);
        if (first) {
          delta.put("role", "assistant");
          first = false;
        }
        chunk(sb, model, delta, null);
      }
    }
    chunk(sb, model, new JsonObject(), isTool() ? "tool_calls" : "stop");
    sb.append("data: ").append(chunkBase(model, "chat.completion.chunk").put("choices", new JsonArray())
        .put("usage", usage()).encode()).append("\n\n");
    sb.append("data: [DONE]\n\n");
    return Buffer.buffer(sb.toString());
  }

  private JsonObject toolCall(int index) {
    return new JsonObject().put("index", index).put("id", "call_sim" + System.nanoTime()).put("type", "function")
        .put("function", new JsonObject().put("name", toolName).put("arguments", toolInput.encode()));
  }

  private JsonObject usage() {
    return new JsonObject().put("prompt_tokens", inputTokens).put("completion_tokens", outputTokens)
        .put("total_tokens", inputTokens + outputTokens);
  }

  private static JsonObject chunkBase(String model, String object) {
    return new JsonObject().put("id", "chatcmpl-sim").put("object", object).put("created", 1_700_000_000L)
        .put("model", model);
  }

  private static void chunk(StringBuilder sb, String model, JsonObject delta, String finish) {
    JsonObject choice = new JsonObject().put("index", 0).put("delta", delta);
    if (finish == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finish);
    }
    sb.append("data: ").append(chunkBase(model, "chat.completion.chunk").put("choices", new JsonArray().add(choice))
        .encode()).append("\n\n");
  }

  private static void sse(StringBuilder sb, String event, JsonObject data) {
    sb.append("event: ").append(event).append("\ndata: ").append(data.encode()).append("\n\n");
  }
}
