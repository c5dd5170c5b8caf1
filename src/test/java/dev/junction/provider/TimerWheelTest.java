package dev.junction.provider;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The wheel on an embedded Netty loop whose clock moves only when the test moves it: the wheel
 * reads that clock, the loop runs the wheel's task by it, and the test thread is the loop's thread.
 */
@ExtendWith(VertxExtension.class)
class TimerWheelTest {
  private static final long TICK_MILLIS = NANOSECONDS.toMillis(TimerWheel.TICK_NANOS);
  private static final long TURN_MILLIS = TimerWheel.SLOTS * TICK_MILLIS;

  private final MockTicker ticker = Ticker.newMockTicker();
  private final EmbeddedChannel channel = EmbeddedChannel.builder().ticker(ticker).build();
  private final long start = ticker.nanoTime();
  private final List<String> fired = new ArrayList<>();
  private Context context;
  private TimerWheel wheel;

  @BeforeEach
  void setUp(Vertx vertx) {
    context = ((VertxInternal) vertx).contextBuilder().withEventLoop(channel.eventLoop()).build();
    wheel = new TimerWheel(channel.eventLoop(), ticker::nanoTime);
  }

  @AfterEach
  void tearDown() {
    channel.checkException();
    channel.close();
  }

  private ContextTimers.Timer at(long millis, String name) {
    return wheel.schedule(MILLISECONDS.toNanos(millis), context, () -> fired.add(name));
  }

  private ContextTimers.Timer at(long millis, Runnable action) {
    return wheel.schedule(MILLISECONDS.toNanos(millis), context, action);
  }

  private long elapsedMillis() {
    return NANOSECONDS.toMillis(ticker.nanoTime() - start);
  }

  /** Moves time a millisecond at a time, running the wheel's task and then what it handed to the context. */
  private void advance(long millis) {
    for (long i = 0; i < millis; i++) {
      jump(1);
    }
  }

  /** Moves time in one step, as a loop that runs late does. */
  private void jump(long millis) {
    ticker.advance(millis, MILLISECONDS);
    channel.runScheduledPendingTasks();
    channel.runPendingTasks();
  }

  /** @return when the loop will next run a scheduled task (the wheel's), or -1 if none is scheduled */
  private long nextWakeMillis() {
    long nanos = channel.runScheduledPendingTasks();
    return nanos < 0 ? -1 : NANOSECONDS.toMillis(nanos);
  }

  @Test
  void shouldFireInDeadlineOrderNeverEarlyAndAtMostATickLate() {
    Map<String, Long> firedAt = new LinkedHashMap<>();
    Map<String, Long> deadlines = new LinkedHashMap<>();
    deadlines.put("30 ms", 30L);
    deadlines.put("10 ms", 10L);
    deadlines.put("21 ms", 21L);
    deadlines.put("10 ms, set second", 10L);
    deadlines.put("500 ms", 500L);
    deadlines.forEach((name, millis) -> at(millis, () -> firedAt.put(name, elapsedMillis())));

    advance(600);

    assertEquals(List.of("10 ms", "10 ms, set second", "21 ms", "30 ms", "500 ms"), List.copyOf(firedAt.keySet()));
    firedAt.forEach((name, at) -> {
      long deadline = deadlines.get(name);
      assertTrue(at >= deadline && at <= deadline + TICK_MILLIS, name + " fired at " + at + " ms");
    });
  }

  @Test
  void shouldFireOverdueTimersInDeadlineOrderWhenTheLoopRunsLate() {
    at(7_000, "7 s");
    at(1_000, "1 s");
    at(3_000, "3 s");
    at(3_000, "3 s, set second");
    at(20_000, "20 s");

    jump(10_000);
    assertEquals(List.of("1 s", "3 s", "3 s, set second", "7 s"), fired);

    jump(10_000);
    assertEquals(List.of("1 s", "3 s", "3 s, set second", "7 s", "20 s"), fired);
  }

  @Test
  void shouldNotRunACancelledTimer() {
    ContextTimers.Timer first = at(10, "first");
    at(10, "second");
    advance(5);

    first.cancel();
    first.cancel();
    advance(50);

    assertEquals(List.of("second"), fired, "a timer of the same tick is unaffected");
  }

  @Test
  void shouldNotRunATimerCancelledWhileItWaitsForItsTurnOnTheContext() {
    ContextTimers.Timer timer = at(10, "timer");
    ticker.advance(12, MILLISECONDS);
    channel.runScheduledPendingTasks(); // the sweep hands the action to the context

    timer.cancel();
    channel.runPendingTasks();

    assertEquals(List.of(), fired);
  }

  @Test
  void shouldIgnoreCancellingATimerThatHasFired() {
    ContextTimers.Timer timer = at(10, "first");
    advance(20);
    assertEquals(List.of("first"), fired);

    timer.cancel();
    timer.cancel();
    at(10, "second");
    advance(20);

    assertEquals(List.of("first", "second"), fired);
    assertEquals(-1, nextWakeMillis());
  }

  @Test
  void shouldKeepATimerLongerThanATurnForItsOwnTurn() {
    // all three in the same slot, one turn apart
    at(100, "this turn");
    at(100 + TURN_MILLIS, "next turn");
    at(100 + 3 * TURN_MILLIS, "three turns on");

    advance(100 + TURN_MILLIS - 1);
    assertEquals(List.of("this turn"), fired);
    advance(1);
    assertEquals(List.of("this turn", "next turn"), fired);
    advance(2 * TURN_MILLIS - 1);
    assertEquals(List.of("this turn", "next turn"), fired);
    advance(1);
    assertEquals(List.of("this turn", "next turn", "three turns on"), fired);
  }

  @Test
  void shouldLetAnActionSetAndCancelTimersOfTheSlotBeingSwept() {
    ContextTimers.Timer[] victims = new ContextTimers.Timer[2];
    at(12, () -> {
      fired.add("first");
      victims[0].cancel(); // expired in the same sweep, waiting for the context
      victims[1].cancel(); // in the same slot, a turn later
      at(1, "set by first, next tick");
      at(TURN_MILLIS, "set by first, its slot a turn later");
    });
    victims[0] = at(12, "cancelled by first, same tick");
    victims[1] = at(12 + TURN_MILLIS, "cancelled by first, next turn");
    at(12, "last of the tick");

    advance(12);
    assertEquals(List.of("first", "last of the tick"), fired);
    advance(4);
    assertEquals(List.of("first", "last of the tick", "set by first, next tick"), fired);
    advance(TURN_MILLIS - 5);
    assertEquals(3, fired.size(), "a turn is not up yet");
    advance(1);
    assertEquals(List.of("first", "last of the tick", "set by first, next tick", "set by first, its slot a turn later"),
        fired);
    assertEquals(-1, nextWakeMillis());
  }

  @Test
  void shouldWakeTheLoopForTheEarliestTimerAndOnlyWhileTimersRemain() {
    assertEquals(-1, nextWakeMillis(), "a new wheel sets no task");

    ContextTimers.Timer late = at(1_000, "late");
    assertEquals(1_000, nextWakeMillis(), "no wake-up every tick until then");
    at(100, "early");
    assertEquals(100, nextWakeMillis(), "moved forward for an earlier timer");

    advance(100);
    assertEquals(List.of("early"), fired);
    assertEquals(900, nextWakeMillis(), "on to the next timer");

    late.cancel();
    advance(900);
    assertEquals(-1, nextWakeMillis(), "the task stops once it finds the wheel empty");
    assertEquals(List.of("early"), fired);
  }

  @Test
  void shouldCountFromNowAfterSittingIdle() {
    at(10, "before");
    advance(20);

    jump(3_600_000);
    at(10, "after an hour");
    assertEquals(12, nextWakeMillis(), "the next tick boundary at or after the deadline");
    advance(11);
    assertEquals(List.of("before"), fired);
    advance(1);
    assertEquals(List.of("before", "after an hour"), fired);
  }
}
