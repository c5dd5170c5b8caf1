package dev.junction.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.provider.FailureClass;
import dev.junction.testing.FakeTime;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TargetRegistryTest {
  private static final String T = "anthropic/claude-sonnet-4-6";
  private static final Duration FAST = Duration.ofMillis(100);
  private final FakeTime time = new FakeTime();
  private final BreakerSettings settings = new BreakerSettings(10, 5, 50f, 80f, Duration.ofSeconds(2),
      Duration.ofSeconds(30), 3, Duration.ofHours(1), Duration.ofSeconds(5));
  private final TargetRegistry registry = new TargetRegistry(time, id -> settings, null, null);

  private void fail(FailureClass failure) {
    fail(failure, null);
  }

  private void fail(FailureClass failure, Duration retryAfter) {
    assertTrue(registry.tryAcquire(T), "permission expected");
    registry.started(T);
    registry.failed(T, true, failure, retryAfter, FAST);
  }

  private void succeed(Duration duration) {
    assertTrue(registry.tryAcquire(T), "permission expected");
    registry.started(T);
    registry.succeeded(T, true, duration, duration, duration);
  }

  private TargetState state() {
    return registry.snapshot().state(T);
  }

  private boolean available() {
    return registry.snapshot().state(T).available(time.instant());
  }

  @Test
  void shouldOpenAfterFailureRateThresholdExceeded() {
    succeed(FAST);
    succeed(FAST);
    fail(FailureClass.SERVER);
    fail(FailureClass.OVERLOADED);
    assertEquals(BreakerState.CLOSED, state().breaker(), "below the minimum number of calls nothing is judged");
    fail(FailureClass.TIMEOUT); // 3 of 5 = 60% >= 50%
    assertEquals(BreakerState.OPEN, state().breaker());
    assertFalse(available());
    assertFalse(registry.tryAcquire(T));
    assertEquals(time.instant().plusSeconds(30), state().openUntil());
  }

  @Test
  void shouldStayClosedBelowFailureRateThreshold() {
    for (int i = 0; i < 3; i++) {
      succeed(FAST);
    }
    fail(FailureClass.NETWORK);
    fail(FailureClass.SERVER); // 2 of 5 = 40%
    assertEquals(BreakerState.CLOSED, state().breaker());
    assertTrue(available());
  }

  @Test
  void shouldOpenWhenSlowCallRateExceeded() {
    for (int i = 0; i < 4; i++) {
      succeed(Duration.ofSeconds(3)); // slower than the 2 s threshold, yet successful
    }
    assertEquals(BreakerState.CLOSED, state().breaker());
    succeed(Duration.ofSeconds(3));
    assertEquals(BreakerState.OPEN, state().breaker());
  }

  @Test
  void shouldCountMalformedRepliesAsFailures() {
    for (int i = 0; i < 5; i++) {
      fail(FailureClass.MALFORMED);
    }
    assertEquals(BreakerState.OPEN, state().breaker());
    assertEquals(FailureClass.MALFORMED, state().lastFailure());
  }

  @Test
  void shouldNeverCountCallerFaultsOrCancellations() {
    for (int i = 0; i < 20; i++) {
      fail(FailureClass.CALLER_FAULT);
      fail(FailureClass.CANCELLED);
      assertTrue(registry.tryAcquire(T));
      registry.started(T);
      registry.abandoned(T, true);
    }
    assertEquals(BreakerState.CLOSED, state().breaker());
    assertTrue(available());
    JsonObject target = registry.toJson().getJsonArray("targets").getJsonObject(0);
    assertEquals(0, target.getJsonObject("window").getInteger("calls"));
    assertEquals(0, target.getJsonObject("stats").getInteger("in_flight"));
  }

  private void open() {
    for (int i = 0; i < 5; i++) {
      fail(FailureClass.SERVER);
    }
    assertEquals(BreakerState.OPEN, state().breaker());
  }

  @Test
  void shouldMoveToHalfOpenLazilyOnceTheOpenDurationHasPassed() {
    open();
    time.advance(Duration.ofSeconds(30));
    assertFalse(available(), "still open at exactly the deadline");
    assertFalse(registry.tryAcquire(T));
    time.advanceMillis(1);
    assertTrue(available(), "the snapshot sees it may be probed");
    assertEquals(BreakerState.OPEN, state().breaker(), "no timer moved it: transitions are lazy");
    assertTrue(registry.tryAcquire(T));
    assertEquals(BreakerState.HALF_OPEN, state().breaker());
  }

  @Test
  void shouldAdmitBoundedProbesThenCloseOnSuccess() {
    open();
    time.advance(Duration.ofSeconds(31));
    for (int i = 0; i < 3; i++) {
      assertTrue(registry.tryAcquire(T), "probe " + i);
      registry.started(T);
    }
    assertFalse(registry.tryAcquire(T), "a fourth probe is refused while three are out");
    for (int i = 0; i < 3; i++) {
      registry.succeeded(T, true, FAST, FAST, FAST);
    }
    assertEquals(BreakerState.CLOSED, state().breaker());
    assertTrue(available());
  }

  @Test
  void shouldReopenWhenProbesFail() {
    open();
    time.advance(Duration.ofSeconds(31));
    for (int i = 0; i < 3; i++) {
      fail(FailureClass.OVERLOADED);
    }
    assertEquals(BreakerState.OPEN, state().breaker());
    assertEquals(time.instant().plusSeconds(30), state().openUntil(), "a fresh open period from the reopening");
  }

  @Test
  void shouldGiveBackTheProbeSlotOfACancelledProbe() {
    open();
    time.advance(Duration.ofSeconds(31));
    for (int i = 0; i < 3; i++) {
      assertTrue(registry.tryAcquire(T));
      registry.started(T);
    }
    registry.abandoned(T, true);
    assertTrue(registry.tryAcquire(T), "the cancelled probe's slot is free again");
  }

  @Test
  void shouldCoolDownForExactlyTheRetryAfter() {
    fail(FailureClass.RATE_LIMITED, Duration.ofSeconds(7));
    assertEquals(BreakerState.CLOSED, state().breaker(), "a 429 is not a breaker failure");
    assertEquals(time.instant().plusSeconds(7), state().cooldownUntil());
    time.advance(Duration.ofMillis(6999));
    assertFalse(available());
    time.advanceMillis(1);
    assertTrue(available());
  }

  @Test
  void shouldCoolDownRateLimitsWithoutRetryAfterForTheDefault() {
    fail(FailureClass.RATE_LIMITED);
    assertEquals(time.instant().plusSeconds(5), state().cooldownUntil());
  }

  @Test
  void shouldCoolDownAnOverloadThatSentRetryAfterAndCountIt() {
    fail(FailureClass.OVERLOADED, Duration.ofSeconds(3));
    assertEquals(time.instant().plusSeconds(3), state().cooldownUntil());
    assertEquals(1, registry.toJson().getJsonArray("targets").getJsonObject(0).getJsonObject("window")
        .getInteger("failed"));
  }

  @Test
  void shouldKeepTheLaterDeadlineWhenASecondCooldownIsShorter() {
    fail(FailureClass.RATE_LIMITED, Duration.ofSeconds(60));
    fail(FailureClass.RATE_LIMITED, Duration.ofSeconds(1));
    assertEquals(time.instant().plusSeconds(60), state().cooldownUntil());
  }

  @Test
  void shouldCoolDownForAnHourOnQuotaExhaustion() {
    fail(FailureClass.QUOTA);
    time.advance(Duration.ofMinutes(59).plusSeconds(59));
    assertFalse(available());
    time.advance(Duration.ofSeconds(1));
    assertTrue(available());
    assertEquals(BreakerState.CLOSED, state().breaker());
  }

  @Test
  void shouldForceOpenOnAuthFailureUntilReset() {
    fail(FailureClass.AUTH);
    assertEquals(BreakerState.FORCED_OPEN, state().breaker());
    time.advance(Duration.ofDays(1));
    assertFalse(available());
    assertNull(state().reopensAt(), "only a reset reopens it");
    registry.reset(T);
    assertEquals(BreakerState.CLOSED, state().breaker());
    assertTrue(available());
  }

  @Test
  void shouldObeyOperatorOverrides() {
    registry.forceOpen(T);
    assertEquals(BreakerState.FORCED_OPEN, state().breaker());
    assertFalse(registry.tryAcquire(T));
    registry.forceClosed(T);
    assertEquals(BreakerState.FORCED_CLOSED, state().breaker());
    for (int i = 0; i < 10; i++) {
      fail(FailureClass.SERVER);
    }
    assertEquals(BreakerState.FORCED_CLOSED, state().breaker(), "held closed whatever happens");
    assertTrue(available());
    registry.reset(T);
    assertEquals(BreakerState.CLOSED, state().breaker());
    fail(FailureClass.RATE_LIMITED, Duration.ofSeconds(10));
    registry.forceClosed(T);
    assertTrue(available(), "forcing closed clears the cooldown");
  }

  @Test
  void shouldTrackStatisticsForTheAdminView() {
    for (int ms : new int[] {100, 200, 300, 400, 500}) {
      succeed(Duration.ofMillis(ms));
    }
    fail(FailureClass.SERVER, Duration.ofSeconds(9));
    TargetStats stats = state().stats();
    assertEquals(6, stats.samples());
    assertEquals(5.0 / 6, stats.successRate(), 1e-9);
    assertEquals(500, stats.p95Millis(), 1e-9);
    assertTrue(stats.latencyMillis() > 100 && stats.latencyMillis() < 500);
    assertTrue(registry.tryAcquire(T));
    registry.started(T);
    JsonObject json = registry.toJson();
    JsonObject target = json.getJsonArray("targets").getJsonObject(0);
    assertEquals(T, target.getString("target"));
    assertEquals("closed", target.getString("state"));
    assertEquals(time.instant().plusSeconds(9).toString(), target.getString("cooldown_until"));
    assertEquals("server", target.getString("last_failure"));
    assertEquals(1, target.getJsonObject("stats").getInteger("in_flight"));
    assertEquals(500.0, target.getJsonObject("stats").getDouble("latency_ms_p95"));
  }

  @Test
  void shouldReportEveryBreakerTransitionWithItsTimeAndLastFailure() {
    java.util.List<BreakerTransition> heard = new java.util.ArrayList<>();
    registry.onTransition(heard::add);
    for (int i = 0; i < 5; i++) {
      fail(FailureClass.MALFORMED);
    }
    java.time.Instant opened = time.instant();
    time.advance(Duration.ofSeconds(31));
    for (int i = 0; i < 3; i++) {
      succeed(FAST);
    }
    assertEquals(java.util.List.of(
        new BreakerTransition(T, BreakerState.CLOSED, BreakerState.OPEN, opened, FailureClass.MALFORMED),
        new BreakerTransition(T, BreakerState.OPEN, BreakerState.HALF_OPEN, time.instant(), FailureClass.MALFORMED),
        new BreakerTransition(T, BreakerState.HALF_OPEN, BreakerState.CLOSED, time.instant(), FailureClass.MALFORMED)),
        heard);
  }
}
