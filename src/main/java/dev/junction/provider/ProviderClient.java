package dev.junction.provider;

import io.vertx.core.Future;

/**
 * One upstream endpoint speaking one wire protocol (Anthropic Messages, OpenAI Chat Completions,
 * OpenAI Responses, or a local OpenAI-compatible server), in canonical terms.
 *
 * <p>Every method is non-blocking and may be called from any thread; results complete on the
 * caller's Vert.x context (or a fresh one). A call never retries by itself: failures are
 * {@link ProviderException}s carrying a {@link FailureClass}, and retry, failover and breakers are
 * the routing layer's business. Requests are encoded afresh for every call and never modified, so
 * the same {@link ModelRequest} can be sent to another provider after a failure.
 *
 * <p>Timeouts come from the provider's configuration, overridden per call by
 * {@link CallOptions#timeouts()}: connect, time to first byte, idle between body chunks and total.
 * Cancelling {@link CallOptions#cancellation()} resets the upstream request.
 */
public interface ProviderClient {

  /** The configured name routes refer to. */
  String name();

  ProviderConfig config();

  /**
   * One non-streaming call. Fails with a {@link ProviderException}: the upstream's error classified
   * (status, body, headers), a transport failure (NETWORK, TIMEOUT), a reply that cannot be decoded
   * (MALFORMED) or CANCELLED.
   */
  Future<ModelResponse> send(ModelRequest request, CallOptions options);

  /**
   * One streaming call. The future completes only once the upstream answered 2xx and its first
   * event has been decoded, so a caller that has committed nothing downstream can still fail over
   * when this future fails. After that, failures arrive in the stream (see {@link EventStream}).
   */
  Future<EventStream> stream(ModelRequest request, CallOptions options);

  /**
   * Counts the input tokens of {@code request} with the upstream's own tokenizer, where the
   * protocol has an endpoint for it (Anthropic's {@code /v1/messages/count_tokens}).
   *
   * @return the count; fails with a CALLER_FAULT {@link ProviderException} when the protocol cannot count
   */
  default Future<Long> countTokens(ModelRequest request, CallOptions options) {
    return Future.failedFuture(ProviderException.of(FailureClass.CALLER_FAULT,
        name() + " has no token-counting endpoint"));
  }

  /** Asks the endpoint whether it is ready (health route and model list, per protocol). */
  Future<Readiness> probe();

  /** The cost of {@code usage} on {@code model} at the configured prices. */
  default Cost cost(String model, Usage usage) {
    return config().prices().cost(model, usage);
  }

  /** Closes the connection pool; in-flight calls fail with NETWORK. */
  Future<Void> close();
}
