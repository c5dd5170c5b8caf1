package dev.junction.routing;

import dev.junction.provider.FailureClass;
import java.time.Instant;

/**
 * A target's breaker changed state.
 *
 * @param target the target id ({@code provider/model})
 * @param at the registry clock's time of the change
 * @param lastFailure the last failure that counted against the target, or null
 */
public record BreakerTransition(String target, BreakerState from, BreakerState to, Instant at, FailureClass lastFailure) {
}
