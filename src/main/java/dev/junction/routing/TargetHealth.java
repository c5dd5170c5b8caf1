package dev.junction.routing;

import dev.junction.provider.FailureClass;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Instant;

/**
 * Everything the registry keeps for one target: its breaker, observations, cooldown and the last
 * failure that counted. Instants are written by whichever thread finishes an attempt, hence volatile.
 */
final class TargetHealth {
  final String id;
  final BreakerSettings settings;
  final CircuitBreaker breaker;
  final Observations observations = new Observations();
  volatile Instant cooldownUntil;
  volatile Instant openUntil;
  volatile FailureClass lastFailure;

  TargetHealth(String id, BreakerSettings settings, CircuitBreaker breaker) {
    this.id = id;
    this.settings = settings;
    this.breaker = breaker;
  }

  BreakerState state() {
    return BreakerState.of(breaker.getState());
  }

  private volatile boolean changed = true;
  private volatile TargetState view;

  /** Something {@link #view()} shows changed; call after the change. */
  void changed() {
    changed = true;
  }

  /** The state now, rebuilt only when something changed since the last view. */
  TargetState view() {
    TargetState current = view;
    if (changed || current == null) {
      // cleared first: a change racing with the rebuild marks it again and the next view rebuilds
      changed = false;
      BreakerState state = state();
      current = new TargetState(state, state == BreakerState.OPEN ? openUntil : null, cooldownUntil, lastFailure,
          observations.view());
      view = current;
    }
    return current;
  }
}
