package dev.junction.routing;

import java.time.Duration;

/**
 * One target's breaker and cooldown settings.
 *
 * @param window the count-based sliding window size
 * @param minCalls calls recorded before any rate is judged
 * @param failureRatePercent opens at or above this failure rate
 * @param slowCallRatePercent opens at or above this rate of calls slower than {@code slowCall}
 * @param slowCall what counts as slow (for streams, time to first token)
 * @param openFor how long OPEN lasts before probes are admitted (checked lazily on access)
 * @param halfOpenProbes calls admitted in HALF_OPEN before it decides
 * @param quotaCooldown how long a QUOTA failure keeps the target out
 * @param rateLimitCooldown a 429's cooldown when the provider sent no retry-after
 */
public record BreakerSettings(int window, int minCalls, float failureRatePercent, float slowCallRatePercent,
    Duration slowCall, Duration openFor, int halfOpenProbes, Duration quotaCooldown, Duration rateLimitCooldown) {
  public static final BreakerSettings DEFAULTS = new BreakerSettings(20, 5, 50f, 80f, Duration.ofSeconds(30),
      Duration.ofSeconds(30), 3, Duration.ofHours(1), Duration.ofSeconds(5));
}
