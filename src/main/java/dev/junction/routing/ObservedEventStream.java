package dev.junction.routing;

import dev.junction.provider.EventStream;
import dev.junction.provider.FailureClass;
import dev.junction.provider.ProviderException;
import dev.junction.provider.StreamAccumulator;
import dev.junction.provider.StreamEvent;
import dev.junction.provider.Usage;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A committed stream, passed through unchanged while a side accumulator folds it, so that its end
 * can be judged like a non-streaming reply: usage and cost recorded, and a reply that fails
 * {@link ReplyCheck} reported as MALFORMED against its target (too late to fail over, in time to
 * route the next call around it). Handlers run on the stream's context, as the provider's do.
 */
final class ObservedEventStream implements EventStream {
  private final EventStream delegate;
  private final StreamAccumulator accumulator = new StreamAccumulator();
  private final BiConsumer<Usage, ProviderException> onEnd;
  private final Promise<Void> ended = Promise.promise();
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private Throwable failure;
  private boolean broken;

  /** @param onEnd called once with the final usage and the failure (null on a clean, well-formed end) */
  ObservedEventStream(EventStream delegate, Function<StreamAccumulator, String> checker,
      BiConsumer<Usage, ProviderException> onEnd) {
    this.delegate = delegate;
    this.onEnd = onEnd;
    delegate.endHandler(v -> {
      ProviderException problem = null;
      Usage usage = Usage.ZERO;
      try {
        usage = accumulator.result().usage();
        String why = broken ? "stream events out of order" : checker.apply(accumulator);
        problem = why == null ? null : ProviderException.of(FailureClass.MALFORMED, why);
      } catch (ProviderException e) {
        problem = e;
      }
      onEnd.accept(usage, problem);
      ended.tryComplete();
      if (endHandler != null) {
        endHandler.handle(null);
      }
    });
    delegate.exceptionHandler(t -> {
      failure = t;
      // what the stream reported before it broke was generated, and is billed
      onEnd.accept(accumulator.usage(), t instanceof ProviderException e ? e
          : ProviderException.of(FailureClass.NETWORK, String.valueOf(t), t));
      ended.tryComplete();
      if (exceptionHandler != null) {
        exceptionHandler.handle(t);
      }
    });
  }

  @Override
  public EventStream exceptionHandler(Handler<Throwable> handler) {
    exceptionHandler = handler;
    if (failure != null && handler != null) {
      handler.handle(failure); // the stream failed before the caller listened
    }
    return this;
  }

  @Override
  public EventStream handler(Handler<StreamEvent> handler) {
    if (handler == null) {
      delegate.handler(null);
      return this;
    }
    delegate.handler(event -> {
      if (!broken && !(event instanceof StreamEvent.Error)) {
        try {
          accumulator.accept(event);
        } catch (ProviderException e) {
          broken = true; // the caller still gets every event; the end is judged MALFORMED
        }
      }
      handler.handle(event);
    });
    return this;
  }

  @Override
  public EventStream pause() {
    delegate.pause();
    return this;
  }

  @Override
  public EventStream resume() {
    delegate.resume();
    return this;
  }

  @Override
  public EventStream fetch(long amount) {
    delegate.fetch(amount);
    return this;
  }

  @Override
  public EventStream endHandler(Handler<Void> handler) {
    endHandler = handler;
    if (ended.future().isComplete() && failure == null && handler != null) {
      handler.handle(null);
    }
    return this;
  }

  @Override
  public boolean relayed() {
    return delegate.relayed();
  }

  @Override
  public void cancel() {
    delegate.cancel();
  }
}
