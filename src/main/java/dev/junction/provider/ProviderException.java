package dev.junction.provider;

import java.time.Duration;

/**
 * A classified provider failure. Cheap to create: no stack trace is filled in, because these are
 * expected outcomes of talking to remote services, not programming errors.
 */
public final class ProviderException extends RuntimeException {
  private final FailureClass failureClass;
  private final int status;
  private final String errorType;
  private final Duration retryAfter;
  private final boolean contextLength;
  private final String requestId;

  /**
   * @param status HTTP status, or 0 when there was none (transport failure, mid-stream event)
   * @param errorType the provider's error type or code (e.g. {@code overloaded_error}), may be null
   * @param retryAfter how long the provider asked us to wait, or null
   * @param contextLength true for a 400 that says the prompt exceeds the model's context window
   * @param requestId the provider's request id, for logs, may be null
   */
  public ProviderException(FailureClass failureClass, int status, String errorType, String message,
      Duration retryAfter, boolean contextLength, String requestId, Throwable cause) {
    super(message, cause, false, false);
    this.failureClass = failureClass;
    this.status = status;
    this.errorType = errorType;
    this.retryAfter = retryAfter;
    this.contextLength = contextLength;
    this.requestId = requestId;
  }

  public static ProviderException of(FailureClass failureClass, String message) {
    return new ProviderException(failureClass, 0, null, message, null, false, null, null);
  }

  public static ProviderException of(FailureClass failureClass, String message, Throwable cause) {
    return new ProviderException(failureClass, 0, null, message, null, false, null, cause);
  }

  public FailureClass failureClass() {
    return failureClass;
  }

  public int status() {
    return status;
  }

  public String errorType() {
    return errorType;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  public boolean contextLength() {
    return contextLength;
  }

  public String requestId() {
    return requestId;
  }

  public boolean retryable() {
    return failureClass.retryable();
  }

  @Override
  public String toString() {
    return "ProviderException{" + failureClass + (status > 0 ? " " + status : "")
        + (errorType != null ? " " + errorType : "") + ": " + getMessage() + "}";
  }
}
