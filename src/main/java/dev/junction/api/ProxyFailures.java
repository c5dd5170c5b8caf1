package dev.junction.api;

import dev.junction.provider.FailureClass;
import dev.junction.provider.ProviderException;
import dev.junction.routing.AllTargetsFailedException;

/**
 * What a caller of a model-proxy endpoint is told when no target answered: the HTTP status and
 * Anthropic error type for each failure class, in one switch without a {@code default}, so a new
 * class cannot be forgotten. The OpenAI-shaped writer renders the same {@link ApiError} in
 * OpenAI's envelope.
 */
final class ProxyFailures {
  private ProxyFailures() {
  }

  static ApiError of(AllTargetsFailedException e) {
    FailureClass failure = e.failureClass();
    // a bad request is the caller's to fix: the upstream's own words say what to fix
    String message = failure == FailureClass.CALLER_FAULT && e.lastFailure() != null
        ? e.lastFailure().getMessage() : e.getMessage();
    return of(failure, message);
  }

  static ApiError of(ProviderException e) {
    return of(e.failureClass(), e.getMessage());
  }

  static ApiError of(FailureClass failure, String message) {
    return switch (failure) {
      case CALLER_FAULT -> new ApiError(400, "invalid_request_error", message, null, false);
      // the gateway's upstream key was refused: the caller's own key was fine, so not a 401
      case AUTH -> new ApiError(502, "api_error", "an upstream refused the gateway's credentials: " + message, null,
          false);
      case RATE_LIMITED -> new ApiError(429, "rate_limit_error", message, null, true);
      case QUOTA -> new ApiError(429, "rate_limit_error", message, "quota_exhausted", false);
      case OVERLOADED -> new ApiError(529, "overloaded_error", message, null, true);
      case SERVER, NETWORK, MALFORMED -> new ApiError(502, "api_error", message, null, true);
      case TIMEOUT -> new ApiError(504, "timeout_error", message, null, true);
      // nobody reads it (the caller left); 499 keeps it out of 5xx dashboards
      case CANCELLED -> new ApiError(499, "api_error", message, null, false);
    };
  }
}
