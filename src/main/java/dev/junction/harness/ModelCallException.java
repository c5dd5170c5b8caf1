package dev.junction.harness;

import dev.junction.provider.FailureClass;
import io.vertx.core.json.JsonObject;

/**
 * A model call that failed after whatever failover the gateway does.
 *
 * @see #retryLater() whether the session should reschedule and try again
 */
public final class ModelCallException extends RuntimeException {
  private final FailureClass failureClass;
  private final JsonObject routing;

  public ModelCallException(FailureClass failureClass, String message, JsonObject routing) {
    super(message, null, false, false);
    this.failureClass = failureClass;
    this.routing = routing;
  }

  public FailureClass failureClass() {
    return failureClass;
  }

  public JsonObject routing() {
    return routing;
  }

  /** Transient failures are retried with backoff; the rest end the turn at once. */
  public boolean retryLater() {
    return failureClass.retryable();
  }

  /** The MA {@code session.error} type for this failure. */
  public String maErrorType() {
    return switch (failureClass) {
      case OVERLOADED -> "model_overloaded_error";
      case RATE_LIMITED -> "model_rate_limited_error";
      case QUOTA -> "billing_error";
      case SERVER, TIMEOUT, NETWORK, MALFORMED, CALLER_FAULT, AUTH, CANCELLED -> "model_request_failed_error";
    };
  }
}
