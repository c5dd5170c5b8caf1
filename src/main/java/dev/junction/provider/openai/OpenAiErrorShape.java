package dev.junction.provider.openai;

import dev.junction.provider.FailureClass;

/**
 * How a failure reads in OpenAI's error envelope {@code {"error":{message,type,param,code}}}: the
 * {@code type} and {@code code} OpenAI itself uses for the same kind of failure, so a Chat client's
 * error classes and retry logic behave as they would against OpenAI.
 */
public final class OpenAiErrorShape {
  private OpenAiErrorShape() {
  }

  public static String type(FailureClass failure) {
    return switch (failure) {
      case CALLER_FAULT -> "invalid_request_error";
      case AUTH -> "authentication_error";
      case RATE_LIMITED -> "requests";
      case QUOTA -> "insufficient_quota";
      case OVERLOADED, SERVER, NETWORK, MALFORMED, CANCELLED -> "server_error";
      case TIMEOUT -> "timeout";
    };
  }

  /** @return the code, or null where OpenAI sends none */
  public static String code(FailureClass failure) {
    return switch (failure) {
      case RATE_LIMITED -> "rate_limit_exceeded";
      case QUOTA -> "insufficient_quota";
      case OVERLOADED -> "server_is_overloaded";
      case CALLER_FAULT, AUTH, SERVER, TIMEOUT, NETWORK, MALFORMED, CANCELLED -> null;
    };
  }
}
