package dev.junction.api;

/**
 * A failure a client should see as-is: HTTP status, MA {@code error.type}, a message saying what was
 * wrong, an optional {@code details.error_code}, and whether SDKs may retry.
 */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String type;
  private final String errorCode;
  private final Boolean shouldRetry;

  public ApiError(int status, String type, String message, String errorCode, Boolean shouldRetry) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.errorCode = errorCode;
    this.shouldRetry = shouldRetry;
  }

  public static ApiError invalid(String message) {
    return new ApiError(400, "invalid_request_error", message, null, null);
  }

  public static ApiError invalid(String message, String code) {
    return new ApiError(400, "invalid_request_error", message, code, null);
  }

  public static ApiError notFound(String what, String id) {
    return new ApiError(404, "not_found_error", what + " " + id + " not found", null, null);
  }

  /** A 409 that retrying cannot fix (version conflict, archived resource): SDKs are told not to retry. */
  public static ApiError conflict(String message) {
    return new ApiError(409, "invalid_request_error", message, null, false);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String errorCode() {
    return errorCode;
  }

  public Boolean shouldRetry() {
    return shouldRetry;
  }
}
