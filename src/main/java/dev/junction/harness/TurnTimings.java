package dev.junction.harness;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gateway-side time of the agent loop: wall time of each runner activation minus the time spent
 * waiting for models and tools, and the same summed per finished turn. Samples go into fixed rings,
 * so recording costs an array write and memory stays bounded.
 */
public final class TurnTimings {
  private static final int SIZE = 1 << 20;
  private final long[] activations = new long[SIZE];
  private final long[] turns = new long[SIZE];
  private final AtomicLong activationCount = new AtomicLong();
  private final AtomicLong turnCount = new AtomicLong();

  void activation(long nanos) {
    activations[(int) (activationCount.getAndIncrement() & (SIZE - 1))] = nanos;
  }

  void turn(long nanos) {
    turns[(int) (turnCount.getAndIncrement() & (SIZE - 1))] = nanos;
  }

  /** Percentiles over the recorded activations (up to the last million). */
  public Summary activations() {
    return summary(activations, activationCount.get());
  }

  /** Percentiles over finished turns (user input to {@code end_turn}), each the sum of its activations. */
  public Summary turns() {
    return summary(turns, turnCount.get());
  }

  /** Forgets every sample (between a warm-up and a measured run). */
  public void reset() {
    activationCount.set(0);
    turnCount.set(0);
  }

  private static Summary summary(long[] ring, long count) {
    int n = (int) Math.min(count, SIZE);
    long[] copy = Arrays.copyOf(ring, n);
    Arrays.sort(copy);
    return new Summary(count, at(copy, 0.50), at(copy, 0.90), at(copy, 0.99), n == 0 ? 0 : copy[n - 1]);
  }

  private static long at(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  /**
   * @param count samples recorded
   * @param p50   median, nanoseconds
   * @param p90   90th percentile, nanoseconds
   * @param p99   99th percentile, nanoseconds
   * @param max   largest, nanoseconds
   */
  public record Summary(long count, long p50, long p90, long p99, long max) {
  }
}
