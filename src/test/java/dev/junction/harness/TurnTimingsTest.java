package dev.junction.harness;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TurnTimingsTest {

  @Test
  void percentilesAreTheSampleValuesToWithinTheBucketPrecision() {
    TurnTimings t = new TurnTimings();
    for (long ms = 1000; ms >= 1; ms--) {
      t.activation(ms * 1_000_000, "s" + ms, true);
    }
    TurnTimings.Summary s = t.turns();
    assertEquals(1000, s.count());
    assertWithin(500_000_000, s.p50());
    assertWithin(900_000_000, s.p90());
    assertWithin(990_000_000, s.p99());
    assertEquals(1_000_000_000, s.max(), "the maximum is exact");
  }

  @Test
  void resetForgetsEverySampleAndTheKindsAreKeptApart() {
    TurnTimings t = new TurnTimings();
    t.activation(5_000_000, "a", false);
    assertEquals(1, t.activations().count());
    assertEquals(0, t.turns().count(), "the turn is still open");
    assertWithin(5_000_000, t.activations().p99());
    t.reset();
    assertEquals(new TurnTimings.Summary(0, 0, 0, 0, 0), t.activations());
    assertEquals(new TurnTimings.Summary(0, 0, 0, 0, 0), t.turns());
    t.activation(3, "a", true);
    assertEquals(new TurnTimings.Summary(1, 3, 3, 3, 3), t.turns(), "small values are exact; the reset closed the open turn");
  }

  @Test
  void aTurnIsTheSumOfItsSessionsActivationsUntilOneEndsIt() {
    TurnTimings t = new TurnTimings();
    t.activation(40, "a", false);
    t.activation(7, "b", false);
    t.activation(2, "a", false);
    t.activation(1, "a", true);
    assertEquals(new TurnTimings.Summary(1, 43, 43, 43, 43), t.turns());
    t.activation(5, "a", true);
    assertEquals(2, t.turns().count(), "a new turn starts from nothing");
    assertEquals(43, t.turns().max());
    t.activation(1, "b", true);
    assertEquals(3, t.turns().count());
    assertEquals(8, t.turns().p50(), "the median of 5, 8 (b: 7 + 1) and 43");
  }

  @Test
  void everyValueFallsInTheBucketWhoseBoundsHoldIt() {
    Random r = new Random(7);
    for (int i = 0; i < 100_000; i++) {
      long v = (r.nextLong() >>> 1) >>> r.nextInt(63);
      int b = TurnTimings.Histogram.index(v);
      assertTrue(v <= TurnTimings.Histogram.upper(b), () -> v + " above its bucket");
      assertTrue(b == 0 || v > TurnTimings.Histogram.upper(b - 1), () -> v + " below its bucket");
      assertTrue(TurnTimings.Histogram.upper(b) - v <= v / 128, () -> v + " in a bucket wider than 0.8 %");
    }
    assertEquals(Long.MAX_VALUE, TurnTimings.Histogram.upper(TurnTimings.Histogram.index(Long.MAX_VALUE)));
  }

  private static void assertWithin(long expected, long actual) {
    assertTrue(actual >= expected && actual <= expected + expected / 128, () -> actual + " is not within 0.8 % above " + expected);
  }
}
