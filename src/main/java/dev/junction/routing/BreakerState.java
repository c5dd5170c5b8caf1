package dev.junction.routing;

/** A target's breaker as routing sees it (Resilience4j's states, with DISABLED named for what it means here). */
public enum BreakerState {
  CLOSED("closed", 0),
  HALF_OPEN("half_open", 1),
  OPEN("open", 2),
  /** Opened by an operator or by an AUTH failure; only a reset closes it. */
  FORCED_OPEN("forced_open", 3),
  /** Held closed by an operator: failures are still observed but never open it. */
  FORCED_CLOSED("forced_closed", 4);

  private final String jsonName;
  private final int gaugeValue;

  BreakerState(String jsonName, int gaugeValue) {
    this.jsonName = jsonName;
    this.gaugeValue = gaugeValue;
  }

  public String jsonName() {
    return jsonName;
  }

  /** Routing's name for a Resilience4j state. */
  static BreakerState of(io.github.resilience4j.circuitbreaker.CircuitBreaker.State state) {
    return switch (state) {
      case CLOSED -> CLOSED;
      case OPEN -> OPEN;
      case HALF_OPEN -> HALF_OPEN;
      case FORCED_OPEN -> FORCED_OPEN;
      case DISABLED, METRICS_ONLY -> FORCED_CLOSED;
    };
  }

  /** The value of the {@code junction_breaker_state} gauge. */
  public int gaugeValue() {
    return gaugeValue;
  }
}
