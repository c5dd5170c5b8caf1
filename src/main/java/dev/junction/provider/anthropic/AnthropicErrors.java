package dev.junction.provider.anthropic;

import dev.junction.provider.FailureClass;
import dev.junction.provider.HttpFailures;
import dev.junction.provider.ProviderException;
import dev.junction.provider.RetryAfter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/** Classifies Anthropic error replies and mid-stream {@code error} events. */
public final class AnthropicErrors {
  private AnthropicErrors() {
  }

  /** An HTTP error reply: status, headers (case-insensitive lookup) and body. */
  public static ProviderException classify(int status, Function<String, String> headers, Buffer body, Clock clock) {
    JsonObject json = HttpFailures.jsonOrNull(body);
    JsonObject error = json == null ? null : json.getJsonObject("error");
    String type = error == null ? null : error.getString("type");
    String message = error == null ? "HTTP " + status + ": " + HttpFailures.excerpt(body) : error.getString("message");
    String requestId = headers.apply("request-id");
    if (requestId == null && json != null) {
      requestId = json.getString("request_id");
    }
    Duration retryAfter = RetryAfter.parse(headers, clock);
    return build(status, error, type, message, retryAfter, requestId);
  }

  /** An {@code event: error} payload inside a 200 stream. */
  public static ProviderException classifyEvent(JsonObject payload) {
    JsonObject error = payload.getJsonObject("error");
    String type = error == null ? null : error.getString("type");
    String message = error == null ? "error event without details" : error.getString("message");
    return build(0, error, type, message, null, payload.getString("request_id"));
  }

  private static ProviderException build(int status, JsonObject error, String type, String message,
      Duration retryAfter, String requestId) {
    FailureClass failureClass = classOf(status, error, type);
    boolean contextLength = failureClass == FailureClass.CALLER_FAULT && HttpFailures.isContextLength(message, null);
    return new ProviderException(failureClass, status, type, message, retryAfter, contextLength, requestId, null);
  }

  private static FailureClass classOf(int status, JsonObject error, String type) {
    JsonObject details = error == null ? null : error.getJsonObject("details");
    if (details != null && "enforced_spend_limit_reached".equals(details.getString("error_code"))) {
      return FailureClass.QUOTA;
    }
    if ("billing_error".equals(type)) {
      return FailureClass.QUOTA;
    }
    if (type != null) {
      switch (type) {
        case "overloaded_error":
          return FailureClass.OVERLOADED;
        case "rate_limit_error":
          return FailureClass.RATE_LIMITED;
        case "authentication_error":
        case "permission_error":
          return FailureClass.AUTH;
        case "invalid_request_error":
        case "not_found_error":
        case "request_too_large":
          return FailureClass.CALLER_FAULT;
        case "timeout_error":
          return FailureClass.TIMEOUT;
        case "api_error":
          return status == 0 ? FailureClass.SERVER : HttpFailures.byStatus(status);
        default:
          break;
      }
    }
    return status == 0 ? FailureClass.SERVER : HttpFailures.byStatus(status);
  }
}
