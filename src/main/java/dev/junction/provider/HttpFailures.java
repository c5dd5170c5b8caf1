package dev.junction.provider;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * The parts of error classification every provider shares: what an HTTP status means when the body
 * says nothing more specific, how a context-length 400 reads, and a safe body excerpt.
 */
public final class HttpFailures {
  private HttpFailures() {
  }

  public static FailureClass byStatus(int status) {
    if (status == 401 || status == 403) {
      return FailureClass.AUTH;
    }
    if (status == 402) {
      return FailureClass.QUOTA;
    }
    if (status == 408) {
      return FailureClass.TIMEOUT;
    }
    if (status == 409) {
      // a lock conflict on the provider's side: both SDKs retry it
      return FailureClass.SERVER;
    }
    if (status == 429) {
      return FailureClass.RATE_LIMITED;
    }
    if (status == 503 || status == 529) {
      return FailureClass.OVERLOADED;
    }
    if (status >= 500) {
      return FailureClass.SERVER;
    }
    if (status >= 400) {
      return FailureClass.CALLER_FAULT;
    }
    // a 1xx/3xx where a reply was expected: the upstream did not speak the protocol
    return FailureClass.MALFORMED;
  }

  /** True when an error message or code says the prompt does not fit the model's window. */
  public static boolean isContextLength(String message, String code) {
    if (code != null && (code.equals("context_length_exceeded") || code.equals("string_above_max_length"))) {
      return true;
    }
    if (message == null) {
      return false;
    }
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("context length") || m.contains("context window") || m.contains("prompt is too long")
        || m.contains("maximum context") || m.contains("too many tokens");
  }

  /** The body as JSON, or null when it is not a JSON object. */
  public static JsonObject jsonOrNull(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      return JsonMembers.object(body);
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  /** At most 300 characters of a body, for messages about bodies we could not parse. */
  public static String excerpt(Buffer body) {
    if (body == null || body.length() == 0) {
      return "(empty body)";
    }
    String text = body.toString();
    return text.length() <= 300 ? text : text.substring(0, 300) + "…";
  }
}
