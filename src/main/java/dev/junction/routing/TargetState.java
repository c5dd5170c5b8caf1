package dev.junction.routing;

import dev.junction.provider.FailureClass;
import java.time.Instant;

/**
 * One target's health at snapshot time.
 *
 * @param openUntil when an OPEN breaker admits probes again, null otherwise
 * @param cooldownUntil end of a retry-after, quota or rate-limit cooldown, null when none
 * @param lastFailure the last failure that counted or cooled it down, null when none
 */
public record TargetState(BreakerState breaker, Instant openUntil, Instant cooldownUntil, FailureClass lastFailure,
    TargetStats stats) {
  public static final TargetState HEALTHY = new TargetState(BreakerState.CLOSED, null, null, null, TargetStats.NONE);

  /** Whether a call may go there at {@code now}: not forced open, open time elapsed, no cooldown. */
  public boolean available(Instant now) {
    if (breaker == BreakerState.FORCED_OPEN) {
      return false;
    }
    // Resilience4j leaves OPEN only once the clock is strictly after the wait; agree with it
    if (breaker == BreakerState.OPEN && openUntil != null && !now.isAfter(openUntil)) {
      return false;
    }
    return cooldownUntil == null || !now.isBefore(cooldownUntil);
  }

  /** When it becomes available again: the later of open and cooldown ends; null if only a reset helps. */
  public Instant reopensAt() {
    if (breaker == BreakerState.FORCED_OPEN) {
      return null;
    }
    Instant open = breaker == BreakerState.OPEN ? openUntil : null;
    if (open == null) {
      return cooldownUntil;
    }
    return cooldownUntil == null || open.isAfter(cooldownUntil) ? open : cooldownUntil;
  }
}
