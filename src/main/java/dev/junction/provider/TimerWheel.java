package dev.junction.provider;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The timeouts of one event loop's calls, in a hashed wheel of coarse ticks. Nearly every timeout
 * is cancelled, so setting and cancelling are what must be cheap: here each is a link or an unlink
 * in one slot's list, where a Netty scheduled task costs a heap insertion and removal, the task and
 * two lambdas. A single Netty task drives the wheel, armed for the next tick that holds timers and
 * only while there are any, so an idle loop does not wake for it.
 *
 * <p>A timer fires when its tick is swept: never before its deadline, at most a tick late (plus
 * however late the loop runs the sweep). Only the loop's thread touches a wheel.
 */
final class TimerWheel {
  /**
   * Timeouts are limits users set, of 100 ms and more, so firing up to 4 ms late is noise; a busy
   * loop then sweeps 250 times a second for all its calls' timers.
   */
  static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(4);
  /**
   * A turn of 2 s holds hedge delays and most first-token limits; a longer timer (a total or an
   * idle limit) is passed over once a turn until its own comes. Power of two for the mask.
   */
  static final int SLOTS = 512;
  private static final int MASK = SLOTS - 1;

  private final EventLoop loop;
  private final LongSupplier nanoTime;
  private final long origin;
  /** Each slot is the sentinel of a circular list, so linking and unlinking never branch on ends. */
  private final Node[] slots = new Node[SLOTS];
  /** The timers one sweep found expired, fired one by one so that cancelling any of them still works. */
  private final Node due = new Node();
  private final Runnable sweep = this::onTick;
  /** Every tick before it has been swept, so every timer in the wheel has its tick at or after it. */
  private long cursor;
  /** Timers set and neither fired nor cancelled. */
  private int size;
  private ScheduledFuture<?> armed;
  private long armedTick;

  /** @param nanoTime a monotonic clock, {@code System::nanoTime} but in tests */
  TimerWheel(EventLoop loop, LongSupplier nanoTime) {
    this.loop = loop;
    this.nanoTime = nanoTime;
    this.origin = nanoTime.getAsLong();
    for (int i = 0; i < SLOTS; i++) {
      slots[i] = new Node();
    }
  }

  EventLoop loop() {
    return loop;
  }

  /** On the loop's thread only; the action runs on {@code context}, an event-loop context of this loop. */
  ContextTimers.Timer schedule(long delayNanos, Context context, Runnable action) {
    long elapsed = nanoTime.getAsLong() - origin;
    if (size == 0) {
      // the ticks an idle wheel slept through hold nothing: no sweep needs to visit them
      cursor = Math.max(cursor, Math.floorDiv(elapsed, TICK_NANOS) + 1);
    }
    // the first tick at or after the deadline, and never one already swept
    long tick = Math.max(cursor, Math.floorDiv(elapsed + delayNanos + TICK_NANOS - 1, TICK_NANOS));
    Node node = new Node(this, tick, context, action);
    node.linkBefore(slot(tick));
    size++;
    if (armed == null || tick < armedTick) {
      arm(tick);
    }
    return node;
  }

  private void arm(long tick) {
    if (armed != null) {
      armed.cancel(false);
    }
    long delay = tick * TICK_NANOS - (nanoTime.getAsLong() - origin);
    armedTick = tick;
    armed = loop.schedule(sweep, Math.max(0, delay), TimeUnit.NANOSECONDS);
  }

  private void onTick() {
    armed = null;
    expire();
    if (size > 0) {
      arm(nextOccupiedTick());
    }
  }

  /** Fires every timer whose tick has come, in tick order and, within a tick, in the order set. */
  private void expire() {
    long last = Math.floorDiv(nanoTime.getAsLong() - origin, TICK_NANOS);
    int left = size;
    // tick by tick even when the loop ran late: a slot holds timers of several turns, and a timer
    // is visited once a turn at most before its own
    for (long t = cursor; t <= last && left > 0; t++) {
      Node head = slot(t);
      Node node = head.next;
      while (node != head) {
        Node next = node.next;
        if (node.tick == t) {
          node.unlink();
          node.linkBefore(due);
          left--;
        }
        node = next;
      }
    }
    // timers set from here on belong to later sweeps
    cursor = Math.max(cursor, last + 1);
    for (Node node = due.next; node != due; node = due.next) {
      node.unlink();
      size--;
      node.context.runOnContext(node);
    }
  }

  /** The first tick from the cursor whose slot holds timers, of this turn or a later one. */
  private long nextOccupiedTick() {
    for (long t = cursor; t < cursor + SLOTS; t++) {
      Node head = slot(t);
      if (head.next != head) {
        return t;
      }
    }
    return cursor;
  }

  private Node slot(long tick) {
    return slots[(int) (tick & MASK)];
  }

  private void cancel(Node node) {
    node.cancelled = true;
    if (node.prev != null) {
      node.unlink();
      size--;
    }
  }

  /** A timer, linked into its slot's list (or the due list) until it fires or is cancelled. */
  private static final class Node implements ContextTimers.Timer, Handler<Void> {
    final TimerWheel wheel;
    final long tick;
    final Context context;
    final Runnable action;
    Node prev;
    Node next;
    /** Also stops an action already handed to the context but not yet run there. */
    boolean cancelled;

    /** A list's sentinel. */
    Node() {
      this(null, 0, null, null);
      prev = this;
      next = this;
    }

    Node(TimerWheel wheel, long tick, Context context, Runnable action) {
      this.wheel = wheel;
      this.tick = tick;
      this.context = context;
      this.action = action;
    }

    void linkBefore(Node head) {
      prev = head.prev;
      next = head;
      head.prev.next = this;
      head.prev = this;
    }

    void unlink() {
      prev.next = next;
      next.prev = prev;
      prev = null;
      next = null;
    }

    @Override
    public void cancel() {
      if (wheel.loop.inEventLoop()) {
        wheel.cancel(this);
      } else {
        wheel.loop.execute(() -> wheel.cancel(this));
      }
    }

    @Override
    public void handle(Void ignored) {
      if (!cancelled) {
        action.run();
      }
    }
  }
}
