package dev.junction.routing;

import java.time.Duration;

/**
 * Hedging on a route: when the first attempt has not answered after the first target's observed
 * p95 latency (never less than {@code minDelay}; {@code defaultDelay} until there are enough
 * samples), a second attempt starts on the next target and the first answer wins.
 */
public record HedgeSettings(boolean enabled, Duration minDelay, Duration defaultDelay) {
  public static final HedgeSettings OFF = new HedgeSettings(false, Duration.ofMillis(250), Duration.ofSeconds(2));

  /** The delay before the hedge, given the first target's p95 in ms (NaN when unknown). */
  public Duration delay(double p95Millis) {
    if (Double.isNaN(p95Millis)) {
      return defaultDelay.compareTo(minDelay) < 0 ? minDelay : defaultDelay;
    }
    Duration observed = Duration.ofNanos((long) (p95Millis * 1_000_000));
    return observed.compareTo(minDelay) < 0 ? minDelay : observed;
  }
}
