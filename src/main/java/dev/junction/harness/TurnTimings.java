package dev.junction.harness;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Gateway-side time of the agent loop: wall time of each runner activation, from the commit of the
 * client input that woke it (so the hop to the runner's event loop and any queue before it count) to
 * the commit of its last events (when the streams have them), minus the time spent waiting for
 * models and tools; and the same summed per finished turn. Samples go into log-linear
 * histograms (128 buckets per power of two, so a percentile is reported to within 0.8 %, as the upper
 * bound of its bucket): recording is one atomic increment and memory is a fixed 58 KB per histogram,
 * where rings of raw samples held 16 MB that every young collection copied until it was promoted.
 */
public final class TurnTimings {
  private final Histogram activations = new Histogram();
  private final Histogram turns = new Histogram();
  /** Gateway-side time so far of each session's unfinished turn; bounded, as a turn may never end. */
  private final Cache<String, Long> open = Caffeine.newBuilder().maximumSize(100_000).build();

  /**
   * Records an activation and adds it to its session's open turn; a turn spans runners (a runner
   * retires at every idle, {@code requires_action} included), so the open sums live here.
   */
  void activation(long nanos, String sessionId, boolean turnEnded) {
    activations.record(nanos);
    Long before = turnEnded ? open.asMap().remove(sessionId) : open.getIfPresent(sessionId);
    long sum = nanos + (before == null ? 0 : before);
    if (turnEnded) {
      turns.record(sum);
    } else {
      open.put(sessionId, sum);
    }
  }

  /** Percentiles over the activations recorded since the last reset. */
  public Summary activations() {
    return activations.summary();
  }

  /** Percentiles over finished turns (user input to {@code end_turn}), each the sum of its activations. */
  public Summary turns() {
    return turns.summary();
  }

  /** Forgets every sample (between a warm-up and a measured run). */
  public void reset() {
    activations.reset();
    turns.reset();
    open.invalidateAll();
  }

  /** Counts of nanosecond values: exact below 128, then 128 buckets per power of two. */
  static final class Histogram {
    private static final int SUB_BITS = 7;
    private static final int SUB = 1 << SUB_BITS;
    private static final int BUCKETS = (64 - SUB_BITS) * SUB;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong max = new AtomicLong();

    void record(long nanos) {
      long v = Math.max(0, nanos);
      counts.incrementAndGet(index(v));
      max.accumulateAndGet(v, Math::max);
    }

    void reset() {
      for (int i = 0; i < BUCKETS; i++) {
        counts.set(i, 0);
      }
      max.set(0);
    }

    Summary summary() {
      long[] c = new long[BUCKETS];
      long n = 0;
      for (int i = 0; i < BUCKETS; i++) {
        c[i] = counts.get(i);
        n += c[i];
      }
      long top = max.get();
      return new Summary(n, at(c, n, 0.50, top), at(c, n, 0.90, top), at(c, n, 0.99, top), n == 0 ? 0 : top);
    }

    /** The smallest recorded value with at least {@code q} of the samples at or below it, as its bucket's upper bound. */
    private static long at(long[] c, long n, double q, long top) {
      if (n == 0) {
        return 0;
      }
      long rank = Math.max(1, (long) Math.ceil(q * n));
      long seen = 0;
      for (int i = 0; i < c.length; i++) {
        seen += c[i];
        if (seen >= rank) {
          return Math.min(upper(i), top);
        }
      }
      return top;
    }

    static int index(long v) {
      if (v < SUB) {
        return (int) v;
      }
      int shift = 63 - Long.numberOfLeadingZeros(v) - SUB_BITS;
      return (shift + 1) * SUB + (int) ((v >>> shift) - SUB);
    }

    /** The largest value that falls in bucket {@code index}. */
    static long upper(int index) {
      if (index < SUB) {
        return index;
      }
      int shift = index / SUB - 1;
      long top = SUB + index % SUB;
      return ((top + 1) << shift) - 1;
    }
  }

  /**
   * @param count samples recorded
   * @param p50   median, nanoseconds
   * @param p90   90th percentile, nanoseconds
   * @param p99   99th percentile, nanoseconds
   * @param max   largest, nanoseconds (exact)
   */
  public record Summary(long count, long p50, long p90, long p99, long max) {
  }
}
