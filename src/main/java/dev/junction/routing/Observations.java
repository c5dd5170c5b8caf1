package dev.junction.routing;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running statistics of one target. Writers synchronise on the instance (one short critical
 * section per finished attempt); the p95 is kept at write time over a small ring, whose values are
 * also kept sorted (one shift per sample instead of a sort), and the success count over the outcome
 * window is kept as outcomes enter and leave it, so reading a snapshot neither sorts nor counts.
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
  private int okCount;
  private final double[] ring = new double[LATENCY_RING];
  private final double[] sorted = new double[LATENCY_RING];
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

  int inFlight() {
    return inFlight.get();
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
    outcomeCount = outcomeNext = okCount = ringCount = ringNext = 0;
    p95 = Double.NaN;
    samples = 0;
  }

  synchronized TargetStats view() {
    double rate = outcomeCount > 0 ? (double) okCount / outcomeCount : Double.NaN;
    return new TargetStats(latencyMillis, ttftMillis, rate, inFlight.get(), p95, samples);
  }

  private void outcome(boolean ok) {
    if (outcomeCount == OUTCOME_WINDOW && outcomes[outcomeNext]) {
      okCount--; // the outcome about to be overwritten leaves the window
    }
    okCount += ok ? 1 : 0;
    outcomes[outcomeNext] = ok;
    outcomeNext = (outcomeNext + 1) % OUTCOME_WINDOW;
    outcomeCount = Math.min(outcomeCount + 1, OUTCOME_WINDOW);
  }

  private void latency(double millis) {
    samples++;
    if (ringCount == LATENCY_RING) {
      // the oldest value leaves the sorted copy too
      int gone = Arrays.binarySearch(sorted, 0, ringCount, ring[ringNext]);
      System.arraycopy(sorted, gone + 1, sorted, gone, ringCount - gone - 1);
      ringCount--;
    }
    int at = Arrays.binarySearch(sorted, 0, ringCount, millis);
    at = at < 0 ? -at - 1 : at;
    System.arraycopy(sorted, at, sorted, at + 1, ringCount - at);
    sorted[at] = millis;
    ring[ringNext] = millis;
    ringNext = (ringNext + 1) % LATENCY_RING;
    ringCount++;
    if (ringCount >= TargetStats.MIN_P95_SAMPLES) {
      p95 = sorted[(int) Math.ceil(0.95 * ringCount) - 1];
    }
  }

  private static double ewma(double previous, double value) {
    return Double.isNaN(previous) ? value : previous + ALPHA * (value - previous);
  }
}
