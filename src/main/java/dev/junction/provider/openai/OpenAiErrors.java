package dev.junction.provider.openai;

import dev.junction.provider.FailureClass;
import dev.junction.provider.HttpFailures;
import dev.junction.provider.ProviderException;
import dev.junction.provider.RetryAfter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Set;
import java.util.function.Function;

/**
 * Classifies OpenAI-shaped errors: OpenAI's {@code {"error":{message,type,param,code}}}, the same
 * envelope from vLLM, Ollama and llama.cpp (where {@code code} may be an int), old vLLM's flat
 * {@code {"object":"error",...}}, mid-stream {@code data: {"error":...}}, Responses
 * {@code event: error} and {@code response.failed}.
 */
public final class OpenAiErrors {
  /** Codes meaning money or quota ran out: waiting a few seconds will not help. */
  private static final Set<String> QUOTA_CODES = Set.of("insufficient_quota", "credit_balance_exhausted",
      "billing_hard_limit_reached", "billing_not_active", "quota_exceeded");

  private OpenAiErrors() {
  }

  public static ProviderException classify(int status, Function<String, String> headers, Buffer body, Clock clock) {
    JsonObject json = HttpFailures.jsonOrNull(body);
    JsonObject error = errorObject(json);
    String message = error == null ? "HTTP " + status + ": " + HttpFailures.excerpt(body)
        : error.getString("message", "HTTP " + status);
    return build(status, error, message, RetryAfter.parse(headers, clock), headers.apply("x-request-id"));
  }

  /** A mid-stream error object (Chat {@code data: {"error":...}}, Responses error event or failed response). */
  public static ProviderException classifyEvent(JsonObject error) {
    String message = error == null ? "stream failed without details" : error.getString("message", "stream failed");
    return build(0, error, message, null, null);
  }

  private static JsonObject errorObject(JsonObject json) {
    if (json == null) {
      return null;
    }
    Object nested = json.getValue("error");
    if (nested instanceof JsonObject object) {
      return object;
    }
    if ("error".equals(json.getString("object")) || nested instanceof String) {
      // old vLLM: the envelope is flat; Ollama native: {"error":"message"}
      JsonObject flat = json.copy();
      if (nested instanceof String text) {
        flat.put("message", text);
      }
      return flat;
    }
    return null;
  }

  private static ProviderException build(int status, JsonObject error, String message,
      java.time.Duration retryAfter, String requestId) {
    String type = error == null ? null : stringOf(error.getValue("type"));
    String code = error == null ? null : stringOf(error.getValue("code"));
    FailureClass failureClass = classOf(status, type, code);
    boolean contextLength = failureClass == FailureClass.CALLER_FAULT && HttpFailures.isContextLength(message, code);
    String errorType = code != null && !code.matches("\\d+") ? code : type;
    return new ProviderException(failureClass, status, errorType, message, retryAfter, contextLength, requestId, null);
  }

  private static FailureClass classOf(int status, String type, String code) {
    if ((code != null && QUOTA_CODES.contains(code)) || (type != null && QUOTA_CODES.contains(type))) {
      return FailureClass.QUOTA;
    }
    if (status > 0) {
      return HttpFailures.byStatus(status);
    }
    // mid-stream: no status, only the error's words
    String key = code != null && !code.matches("\\d+") ? code : type;
    if (key == null) {
      return FailureClass.SERVER;
    }
    return switch (key) {
      case "rate_limit_exceeded", "tokens", "requests" -> FailureClass.RATE_LIMITED;
      case "server_is_overloaded", "service_unavailable_error", "unavailable_error", "slow_down" ->
          FailureClass.OVERLOADED;
      case "invalid_request_error", "invalid_prompt", "context_length_exceeded", "BadRequestError" ->
          FailureClass.CALLER_FAULT;
      case "authentication_error", "invalid_api_key" -> FailureClass.AUTH;
      default -> FailureClass.SERVER;
    };
  }

  private static String stringOf(Object value) {
    return value == null ? null : String.valueOf(value);
  }
}
