package dev.junction.provider.openai;

import dev.junction.provider.ContentBlock;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.StopReason;
import dev.junction.provider.ToolIds;
import dev.junction.provider.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A canonical reply in the shape a Chat Completions client expects ({@code chat.completion}). Text
 * blocks join into {@code content} (null when only tool calls remain, as OpenAI sends it); tool
 * inputs become argument strings; usage goes back to OpenAI's inclusive form (upstreams.md §5.3).
 * Reasoning, which Chat has no standard field for, is given as {@code reasoning_content}, the name
 * local OpenAI-compatible servers use; clients that do not know it ignore it.
 */
public final class ChatReplyEncoder {
  private ChatReplyEncoder() {
  }

  public static JsonObject encode(ModelResponse response, String fallbackModel, long createdEpochSeconds) {
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    JsonArray calls = new JsonArray();
    for (ContentBlock block : response.content()) {
      if (block instanceof ContentBlock.Text t) {
        text.append(t.text());
      } else if (block instanceof ContentBlock.ToolUse use) {
        calls.add(toolCall(use.id(), use.name()).put("function", new JsonObject().put("name", use.name())
            .put("arguments", use.input().encode())));
      } else if (block instanceof ContentBlock.Thinking thinking) {
        reasoning.append(thinking.thinking());
      }
    }
    JsonObject message = new JsonObject().put("role", "assistant")
        .put("content", text.length() == 0 && !calls.isEmpty() ? null : text.toString());
    if (reasoning.length() > 0) {
      message.put("reasoning_content", reasoning.toString());
    }
    if (!calls.isEmpty()) {
      message.put("tool_calls", calls);
    }
    message.put("refusal", null);
    JsonObject choice = new JsonObject().put("index", 0).put("message", message).put("logprobs", null)
        .put("finish_reason", finishReason(response.stopReason()));
    return new JsonObject().put("id", completionId(response.id())).put("object", "chat.completion")
        .put("created", createdEpochSeconds).put("model", response.model() != null ? response.model() : fallbackModel)
        .put("choices", new JsonArray().add(choice)).put("usage", usage(response.usage()));
  }

  static JsonObject toolCall(String id, String name) {
    return new JsonObject().put("id", ToolIds.fromAnthropic(id)).put("type", "function");
  }

  /** OpenAI's {@code chatcmpl-} prefix on the upstream's message id, so logs can be matched. */
  public static String completionId(String messageId) {
    if (messageId == null) {
      return "chatcmpl-" + Long.toHexString(System.nanoTime());
    }
    return messageId.startsWith("chatcmpl") ? messageId : "chatcmpl-" + messageId;
  }

  public static String finishReason(StopReason reason) {
    if (reason == null) {
      return "stop";
    }
    return switch (reason) {
      case END_TURN, STOP_SEQUENCE, PAUSE_TURN -> "stop";
      case MAX_TOKENS, MODEL_CONTEXT_WINDOW_EXCEEDED -> "length";
      case TOOL_USE -> "tool_calls";
      case REFUSAL -> "content_filter";
    };
  }

  /** Inclusive OpenAI usage: prompt tokens count cache reads and writes, which the details break out. */
  public static JsonObject usage(Usage usage) {
    long prompt = usage.totalInputTokens();
    return new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", usage.outputTokens())
        .put("total_tokens", prompt + usage.outputTokens())
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", usage.cacheReadTokens()));
  }
}
