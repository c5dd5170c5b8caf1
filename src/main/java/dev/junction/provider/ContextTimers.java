package dev.junction.provider;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Timeouts of work that runs on one Vert.x context (an upstream call, a routed call), run on the
 * context when they fire. Nearly every call cancels its timers, so setting and cancelling them is
 * what must be cheap: on the context's own event loop a timer goes into that loop's
 * {@link TimerWheel}, a few milliseconds coarse; set from another thread, or for a worker context,
 * it is a task straight on the Netty loop. A Vert.x timer costs a map entry and a close hook besides.
 */
public final class ContextTimers {
  /** An event-loop thread serves one loop, so one wheel per thread is one per loop. */
  private static final FastThreadLocal<TimerWheel> WHEELS = new FastThreadLocal<>();
  /** A timer this long never fires anyway; the cap keeps its deadline from overflowing. */
  private static final Duration LONGEST = Duration.ofDays(36_500);

  /** A timeout that is set; nearly every one is cancelled before it fires. */
  public interface Timer {
    /**
     * Stops the timer. Cancelled on the context's thread, its action does not run, even if its
     * time came and it waits its turn on the context; cancelling it again, or after it ran, does
     * nothing.
     */
    void cancel();
  }

  private final Context context;
  private final EventLoop loop;
  private final boolean eventLoopContext;
  private TimerWheel wheel;

  public ContextTimers(Context context) {
    this.context = context;
    this.loop = ((ContextInternal) context).nettyEventLoop();
    this.eventLoopContext = context.isEventLoopContext();
  }

  /** @return the timer, or null (nothing scheduled) when {@code delay} is null, zero or negative */
  public Timer schedule(Duration delay, Runnable action) {
    if (delay == null || delay.isZero() || delay.isNegative()) {
      return null;
    }
    long nanos = delay.compareTo(LONGEST) < 0 ? delay.toNanos() : LONGEST.toNanos();
    if (eventLoopContext && loop.inEventLoop()) {
      return wheel().schedule(nanos, context, action);
    }
    return LoopTask.schedule(loop, nanos, context, action);
  }

  /** Cancels {@code timer} if there is one; returns null, for {@code timer = cancel(timer)}. */
  public static Timer cancel(Timer timer) {
    if (timer != null) {
      timer.cancel();
    }
    return null;
  }

  private TimerWheel wheel() {
    TimerWheel found = wheel;
    if (found == null) {
      found = WHEELS.get();
      // a thread that served another loop before (an embedded one, in tests) starts a wheel of its own
      if (found == null || found.loop() != loop) {
        found = new TimerWheel(loop, System::nanoTime);
        WHEELS.set(found);
      }
      wheel = found;
    }
    return found;
  }

  /** A timer set off the loop's thread: a Netty scheduled task, which any thread may set and cancel. */
  private static final class LoopTask implements Timer, Runnable, Handler<Void> {
    private final Context context;
    private final Runnable action;
    private volatile boolean cancelled;
    private ScheduledFuture<?> future;

    private LoopTask(Context context, Runnable action) {
      this.context = context;
      this.action = action;
    }

    static LoopTask schedule(EventLoop loop, long nanos, Context context, Runnable action) {
      LoopTask task = new LoopTask(context, action);
      task.future = loop.schedule(task, nanos, TimeUnit.NANOSECONDS);
      return task;
    }

    @Override
    public void run() {
      context.runOnContext(this);
    }

    @Override
    public void handle(Void ignored) {
      if (!cancelled) {
        action.run();
      }
    }

    @Override
    public void cancel() {
      cancelled = true;
      future.cancel(false);
    }
  }
}
