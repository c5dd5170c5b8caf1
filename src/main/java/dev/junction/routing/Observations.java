package dev.junction.routing;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running statistics of one target. Writers synchronise on the instance (one short critical
 * section per finished attempt); the p95 is recomputed at write time over a small ring so that
 * reading a snapshot never sorts.
 */
final class Observations {
  private static final double ALPHA = 0.2;
  private static final int OUTCOME_WINDOW = 50;
  private static final int LATENCY_RING = 64;

  private final AtomicInteger inFlight = new AtomicInteger();
  private double latencyMillis = Double.NaN;
  private double ttftMillis = Double.NaN;
  private final boolean[] outcomes = new boolean[OUTCOME_WINDOW];
  private int outcomeCount;
  private int outcomeNext;
  private final double[] ring = new double[LATENCY_RING];
  private int ringCount;
  private int ringNext;
  private double p95 = Double.NaN;
  private long samples;

  int started() {
    return inFlight.incrementAndGet();
  }

  int finished() {
    return inFlight.decrementAndGet();
  }

  synchronized void success(double latency, double ttft) {
    latencyMillis = ewma(latencyMillis, latency);
    ttftMillis = ewma(ttftMillis, ttft);
    outcome(true);
    latency(latency);
  }

  /** A counted failure; its latency joins the EWMA too, since slow failures are slowness. */
  synchronized void failure(double latency) {
    latencyMillis = ewma(latencyMillis, latency);
    outcome(false);
    latency(latency);
  }

  synchronized void clear() {
    latencyMillis = Double.NaN;
    ttftMillis = Double.NaN;
    outcomeCount = outcomeNext = ringCount = ringNext = 0;
    p95 = Double.NaN;
    samples = 0;
  }

  synchronized TargetStats view() {
    double rate = Double.NaN;
    if (outcomeCount > 0) {
      int ok = 0;
      for (int i = 0; i < outcomeCount; i++) {
        ok += outcomes[i] ? 1 : 0;
      }
      rate = (double) ok / outcomeCount;
    }
    return new TargetStats(latencyMillis, ttftMillis, rate, inFlight.get(), p95, samples);
  }

  private void outcome(boolean ok) {
    outcomes[outcomeNext] = ok;
    outcomeNext = (outcomeNext + 1) % OUTCOME_WINDOW;
    outcomeCount = Math.min(outcomeCount + 1, OUTCOME_WINDOW);
  }

  private void latency(double millis) {
    samples++;
    ring[ringNext] = millis;
    ringNext = (ringNext + 1) % LATENCY_RING;
    ringCount = Math.min(ringCount + 1, LATENCY_RING);
    if (ringCount >= TargetStats.MIN_P95_SAMPLES) {
      double[] sorted = Arrays.copyOf(ring, ringCount);
      Arrays.sort(sorted);
      p95 = sorted[(int) Math.ceil(0.95 * ringCount) - 1];
    }
  }

  private static double ewma(double previous, double value) {
    return Double.isNaN(previous) ? value : previous + ALPHA * (value - previous);
  }
}
