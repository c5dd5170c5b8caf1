package dev.junction.provider;

import java.util.Map;

/**
 * Per-call settings.
 *
 * @param timeouts overrides of the provider's configured timeouts (null fields keep the config)
 * @param headers extra request headers, e.g. {@code anthropic-beta} passed through from a client
 * @param cancellation cancelled when the caller goes away; the upstream request is then reset
 * @param callerBody a model-proxy caller's own body, relayed by an adapter of the same protocol; may be null
 */
public record CallOptions(Timeouts timeouts, Map<String, String> headers, Cancellation cancellation,
    CallerBody callerBody) {
  public static final CallOptions DEFAULT = new CallOptions(null, Map.of(), null, null);

  public CallOptions {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  public CallOptions withTimeouts(Timeouts value) {
    return new CallOptions(value, headers, cancellation, callerBody);
  }

  public CallOptions withHeaders(Map<String, String> value) {
    return new CallOptions(timeouts, value, cancellation, callerBody);
  }

  public CallOptions withCancellation(Cancellation value) {
    return new CallOptions(timeouts, headers, value, callerBody);
  }

  public CallOptions withCallerBody(CallerBody value) {
    return new CallOptions(timeouts, headers, cancellation, value);
  }
}
