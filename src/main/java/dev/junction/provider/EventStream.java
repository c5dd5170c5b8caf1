package dev.junction.provider;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.streams.ReadStream;

/**
 * A canonical event stream from one upstream call, read with backpressure like any Vert.x
 * {@link ReadStream}: {@link #pause()} or {@link #fetch(long)} stop delivery and, once the internal
 * buffer fills, pause reading from the upstream socket. Events are delivered on the context that
 * started the call.
 *
 * <p>The stream ends in exactly one of two ways: a {@link StreamEvent.MessageStop} followed by the
 * end handler, or a {@link StreamEvent.Error} followed by the exception handler (with the same
 * {@link ProviderException}). {@link #cancel()} resets the upstream request; the exception handler
 * then receives a {@link FailureClass#CANCELLED} failure and no further events arrive.
 */
public interface EventStream extends ReadStream<StreamEvent> {

  @Override
  EventStream exceptionHandler(Handler<Throwable> handler);

  @Override
  EventStream handler(Handler<StreamEvent> handler);

  @Override
  EventStream pause();

  @Override
  EventStream resume();

  @Override
  EventStream fetch(long amount);

  @Override
  EventStream endHandler(Handler<Void> endHandler);

  /**
   * Whether this stream relays the upstream's bytes to a caller of the same protocol: it then
   * carries {@link StreamEvent.Relayed} frames to write as they are, and its canonical events only
   * describe the reply (usage, stop, tool calls; text only as far as the reply-is-empty check needs
   * it), so they are for accounting and checks, not for re-encoding.
   */
  default boolean relayed() {
    return false;
  }

  /** Stops the call: resets the upstream HTTP request and drops undelivered events. Idempotent. */
  void cancel();

  /** Reads the whole stream into the response a single read would have returned. */
  default Future<ModelResponse> accumulate() {
    Promise<ModelResponse> promise = Promise.promise();
    StreamAccumulator accumulator = new StreamAccumulator();
    exceptionHandler(promise::tryFail);
    endHandler(v -> {
      try {
        promise.tryComplete(accumulator.result());
      } catch (ProviderException e) {
        promise.tryFail(e);
      }
    });
    handler(event -> {
      if (!(event instanceof StreamEvent.Error)) {
        try {
          accumulator.accept(event);
        } catch (ProviderException e) {
          promise.tryFail(e);
          cancel();
        }
      }
    });
    return promise.future();
  }
}
