package dev.junction.provider;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Timeouts of work that runs on one Vert.x context (an upstream call, a routed call): each is a task
 * straight on the context's Netty event loop, run on the context when it fires. Nearly every call
 * cancels its timers, and a Vert.x timer costs a map entry and a close hook besides.
 */
public final class ContextTimers {
  private final Context context;
  private final EventLoop loop;

  public ContextTimers(Context context) {
    this.context = context;
    this.loop = ((ContextInternal) context).nettyEventLoop();
  }

  /** @return the timer, or null (nothing scheduled) when {@code delay} is null, zero or negative */
  public ScheduledFuture<?> schedule(Duration delay, Runnable action) {
    if (delay == null || delay.isZero() || delay.isNegative()) {
      return null;
    }
    return loop.schedule(() -> context.runOnContext(v -> action.run()), Math.max(1, delay.toMillis()),
        TimeUnit.MILLISECONDS);
  }

  /** Cancels {@code timer} if there is one; returns null, for {@code timer = cancel(timer)}. */
  public static ScheduledFuture<?> cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
    return null;
  }
}
