package dev.junction.api;

import dev.junction.provider.CanonicalJson;
import dev.junction.provider.ModelRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Validates an Anthropic Messages body before anything goes upstream: a 400 naming the field for
 * a missing model, max_tokens or messages, a wrong type or an unknown role; then reads it into the
 * canonical request. Fields the canonical form does not model are not forwarded (see
 * docs/compatibility.md).
 */
final class MessagesRequest {
  private static final Set<String> ROLES = Set.of("user", "assistant");
  static final int MAX_MESSAGES = 100_000;

  private MessagesRequest() {
  }

  /** @param countTokens true for count_tokens, which takes no max_tokens */
  static ModelRequest read(JsonObject body, boolean countTokens) {
    Fields.requiredString(body, "", "model", 1, 256);
    Long maxTokens = Fields.optionalInt(body, "", "max_tokens", 1, Integer.MAX_VALUE);
    if (maxTokens == null && !countTokens) {
      throw ApiError.invalid("max_tokens: required");
    }
    JsonArray messages = Fields.optionalArray(body, "", "messages", MAX_MESSAGES);
    if (messages == null || messages.isEmpty()) {
      throw ApiError.invalid("messages: required, at least one message");
    }
    for (int i = 0; i < messages.size(); i++) {
      JsonObject m = Fields.objectAt(messages, "messages", i);
      String path = "messages[" + i + "]";
      Fields.oneOf(m, path, "role", ROLES, true);
      Object content = m.getValue("content");
      if (!(content instanceof String) && !(content instanceof JsonArray)) {
        throw Fields.typeError(path + ".content", "a string or an array of content blocks", content);
      }
    }
    Fields.optionalBool(body, "", "stream");
    Object system = body.getValue("system");
    if (system != null && !(system instanceof String) && !(system instanceof JsonArray)) {
      throw Fields.typeError("system", "a string or an array of text blocks", system);
    }
    Fields.optionalArray(body, "", "tools", 10_000);
    Fields.optionalObject(body, "", "tool_choice");
    Fields.optionalObject(body, "", "metadata");
    Fields.optionalArray(body, "", "stop_sequences", 10_000);
    JsonObject json = countTokens && maxTokens == null ? body.copy().put("max_tokens", 1) : body;
    try {
      return CanonicalJson.decodeRequest(json);
    } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
      throw ApiError.invalid("request cannot be read: " + e.getMessage());
    }
  }
}
