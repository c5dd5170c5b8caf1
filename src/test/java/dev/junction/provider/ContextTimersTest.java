package dev.junction.provider;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Timers on real event loops, tens of milliseconds long: through the loop's wheel when set on the
 * context's loop, through a Netty task when set from anywhere else. Each test ends with a later
 * timer, by which an earlier, cancelled one would have run.
 */
@ExtendWith(VertxExtension.class)
class ContextTimersTest {
  private static final Duration SHORT = Duration.ofMillis(10);
  private static final Duration LATER = Duration.ofMillis(40);

  /** The wheel's timers are its nodes; a Netty task is one of ContextTimers' own. */
  private static Class<?> holder(ContextTimers.Timer timer) {
    return timer.getClass().getEnclosingClass();
  }

  @Test
  void shouldRunTheActionOnTheContextNoEarlierThanTheDelay(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> test.verify(() -> {
      long set = System.nanoTime();
      ContextTimers.Timer timer = new ContextTimers(context).schedule(SHORT, () -> test.verify(() -> {
        assertSame(context, Vertx.currentContext());
        assertTrue(System.nanoTime() - set >= SHORT.toNanos());
        test.completeNow();
      }));
      assertSame(TimerWheel.class, holder(timer));
    }));
  }

  @Test
  void shouldNotRunATimerCancelledOnItsContext(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      ContextTimers timers = new ContextTimers(context);
      ContextTimers.cancel(timers.schedule(SHORT, () -> test.failNow("cancelled, yet it ran")));
      timers.schedule(LATER, test::completeNow);
    });
  }

  @Test
  void shouldFallBackToALoopTaskWhenSetFromAnotherThread(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    ContextTimers timers = new ContextTimers(context); // set from the test's thread, not the loop's
    timers.schedule(LATER, () -> test.failNow("cancelled, yet it ran")).cancel();
    ContextTimers.Timer timer = timers.schedule(SHORT, () -> test.verify(() -> {
      assertSame(context, Vertx.currentContext());
      timers.schedule(LATER, test::completeNow); // on the loop now: through the wheel
    }));
    assertSame(ContextTimers.class, holder(timer));
  }

  @Test
  void shouldCancelAWheelTimerFromAnotherThread(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    ContextTimers timers = new ContextTimers(context);
    context.runOnContext(v -> {
      ContextTimers.Timer timer = timers.schedule(SHORT, () -> test.failNow("cancelled, yet it ran"));
      timers.schedule(LATER, test::completeNow);
      // the cancel reaches the loop as a task, queued before the timer's tick comes
      Thread other = new Thread(timer::cancel);
      other.start();
      try {
        other.join();
      } catch (InterruptedException e) {
        test.failNow(e);
      }
    });
  }

  @Test
  void shouldRunAWorkerContextsTimerOnThatContext(Vertx vertx, VertxTestContext test) {
    Context worker = ((VertxInternal) vertx).createWorkerContext();
    worker.runOnContext(v -> test.verify(() -> {
      ContextTimers.Timer timer = new ContextTimers(worker).schedule(SHORT, () -> test.verify(() -> {
        assertSame(worker, Vertx.currentContext());
        test.completeNow();
      }));
      assertSame(ContextTimers.class, holder(timer), "a worker's thread is not its loop's");
    }));
  }

  @Test
  void shouldScheduleNothingWithoutAPositiveDelay(Vertx vertx) {
    ContextTimers timers = new ContextTimers(vertx.getOrCreateContext());
    assertNull(timers.schedule(null, () -> { }));
    assertNull(timers.schedule(Duration.ZERO, () -> { }));
    assertNull(timers.schedule(Duration.ofMillis(-1), () -> { }));
    assertNull(ContextTimers.cancel(null));
  }
}
