package dev.junction.api;

import dev.junction.provider.ModelRequest;
import dev.junction.provider.openai.ChatRequestDecoder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Validates a Chat Completions body before anything goes upstream (a 400 in OpenAI's shape names
 * the field), then reads it into the canonical request.
 */
final class ChatRequest {
  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

  private ChatRequest() {
  }

  /** The request, and whether the client wants the usage chunk at the end of a stream. */
  record Read(ModelRequest request, boolean includeUsage) {
  }

  static Read read(JsonObject body) {
    Fields.requiredString(body, "", "model", 1, 256);
    JsonArray messages = Fields.optionalArray(body, "", "messages", MessagesRequest.MAX_MESSAGES);
    if (messages == null || messages.isEmpty()) {
      throw ApiError.invalid("messages: required, at least one message");
    }
    for (int i = 0; i < messages.size(); i++) {
      Fields.oneOf(Fields.objectAt(messages, "messages", i), "messages[" + i + "]", "role", ROLES, true);
    }
    Fields.optionalBool(body, "", "stream");
    Fields.optionalInt(body, "", "max_tokens", 1, Integer.MAX_VALUE);
    Fields.optionalInt(body, "", "max_completion_tokens", 1, Integer.MAX_VALUE);
    Long n = Fields.optionalInt(body, "", "n", 1, 128);
    if (n != null && n != 1) {
      throw ApiError.invalid("n: only 1 choice per request is supported, got " + n);
    }
    Fields.optionalArray(body, "", "tools", 10_000);
    JsonObject streamOptions = Fields.optionalObject(body, "", "stream_options");
    Boolean includeUsage = streamOptions == null ? null : Fields.optionalBool(streamOptions, "stream_options", "include_usage");
    try {
      return new Read(ChatRequestDecoder.decode(body), Boolean.TRUE.equals(includeUsage));
    } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
      throw ApiError.invalid("request cannot be read: " + e.getMessage());
    }
  }
}
