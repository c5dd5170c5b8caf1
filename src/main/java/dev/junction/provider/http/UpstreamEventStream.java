package dev.junction.provider.http;

import dev.junction.provider.EventStream;
import dev.junction.provider.ProviderException;
import dev.junction.provider.StreamEvent;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;

/**
 * The {@link EventStream} of one upstream call. All state lives on the call's context; methods
 * called from elsewhere hop onto it. Decoded events queue here; when the queue reaches
 * {@link #HIGH_WATER} the upstream response is paused (and its idle clock stopped, since silence is
 * then our doing), and it resumes once the consumer has drained the queue.
 */
final class UpstreamEventStream implements EventStream {
  static final int HIGH_WATER = 64;

  /** What the stream asks of the call it belongs to. */
  interface Upstream {
    void pauseUpstream();

    void resumeUpstream();

    void cancelUpstream();
  }

  private final Context context;
  private final Upstream upstream;
  private final boolean relayed;
  private final ArrayDeque<StreamEvent> queue = new ArrayDeque<>();
  private long demand = Long.MAX_VALUE;
  private Handler<StreamEvent> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private boolean ended;
  private ProviderException failure;
  private boolean terminalDelivered;
  private boolean upstreamPaused;
  private boolean draining;
  private boolean cancelled;

  UpstreamEventStream(Context context, Upstream upstream) {
    this(context, upstream, false);
  }

  /** @param relayed whether the call's decoder relays the upstream's bytes ({@link EventStream#relayed()}) */
  UpstreamEventStream(Context context, Upstream upstream, boolean relayed) {
    this.context = context;
    this.upstream = upstream;
    this.relayed = relayed;
  }

  @Override
  public boolean relayed() {
    return relayed;
  }

  // ---- producer side (the call, on its context) ----

  void push(StreamEvent event) {
    if (cancelled) {
      return;
    }
    queue.add(event);
    if (queue.size() >= HIGH_WATER && !upstreamPaused) {
      upstreamPaused = true;
      upstream.pauseUpstream();
    }
    drain();
  }

  void end() {
    ended = true;
    drain();
  }

  void fail(ProviderException cause) {
    if (failure == null && !ended) {
      failure = cause;
    }
    drain();
  }

  // ---- consumer side ----

  @Override
  public EventStream exceptionHandler(Handler<Throwable> value) {
    onContext(() -> {
      exceptionHandler = value;
      drain();
    });
    return this;
  }

  @Override
  public EventStream handler(Handler<StreamEvent> value) {
    onContext(() -> {
      handler = value;
      drain();
    });
    return this;
  }

  @Override
  public EventStream pause() {
    onContext(() -> demand = 0);
    return this;
  }

  @Override
  public EventStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public EventStream fetch(long amount) {
    onContext(() -> {
      demand = amount == Long.MAX_VALUE || demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
      drain();
    });
    return this;
  }

  @Override
  public EventStream endHandler(Handler<Void> value) {
    onContext(() -> {
      endHandler = value;
      drain();
    });
    return this;
  }

  @Override
  public void cancel() {
    onContext(() -> {
      if (cancelled || terminalDelivered) {
        return;
      }
      cancelled = true;
      queue.clear();
      upstream.cancelUpstream();
    });
  }

  /** Called by the call after {@link #cancel()} reset the upstream, with the CANCELLED failure. */
  void cancelled(ProviderException cause) {
    failure = cause;
    queue.clear();
    deliverTerminal();
  }

  private void drain() {
    if (draining) {
      return;
    }
    draining = true;
    try {
      while (handler != null && demand > 0 && !queue.isEmpty() && !cancelled) {
        StreamEvent event = queue.poll();
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        handler.handle(event);
      }
      if (queue.isEmpty() && upstreamPaused && !cancelled) {
        upstreamPaused = false;
        upstream.resumeUpstream();
      }
      if (queue.isEmpty() && (ended || failure != null)) {
        deliverTerminal();
      }
    } finally {
      draining = false;
    }
  }

  private void deliverTerminal() {
    if (terminalDelivered) {
      return;
    }
    if (failure != null) {
      if (exceptionHandler != null) {
        terminalDelivered = true;
        exceptionHandler.handle(failure);
      }
    } else if (ended && endHandler != null && handler != null) {
      terminalDelivered = true;
      endHandler.handle(null);
    }
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
