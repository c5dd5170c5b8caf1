package dev.junction.routing;

import dev.junction.provider.CallOptions;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ProviderClient;
import io.vertx.core.Future;

/**
 * What differs between a non-streaming and a streaming routed call: how an attempt is made, what
 * makes a result unacceptable before commit, and how a committed result is handed out.
 */
interface AttemptMode<T> {

  boolean streaming();

  Future<T> call(ProviderClient client, ModelRequest request, CallOptions options);

  /** @return why an otherwise successful result must be failed over as MALFORMED, or null */
  String check(T value, RouteRequest request);

  /** Throws away a result that arrived after the run had ended (a hedge loser that still answered). */
  void discard(T value);

  /** Hands out the winner and the future of its completion; records what the end of the result means. */
  Outcome<T> commit(T value, Committed winner, Routing routing);

  /**
   * The winning attempt, as {@link #commit} needs it.
   *
   * @param ended to run once the result is fully read: stops listening for the caller leaving
   */
  record Committed(Target target, ProviderClient client, boolean permitted, long startNanos, long commitNanos,
      String tenant, RouteRequest request, Runnable ended) {
  }
}
