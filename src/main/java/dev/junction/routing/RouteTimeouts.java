package dev.junction.routing;

import java.time.Duration;

/**
 * A route's clocks. {@code firstToken} bounds a streaming attempt until it commits (its first
 * event); {@code attempt} bounds one non-streaming attempt end to end (a reply's first byte comes
 * only when it is complete, so it has no separate first-token clock); {@code total} bounds the
 * whole failover, every attempt included (for a stream: until commit).
 */
public record RouteTimeouts(Duration firstToken, Duration attempt, Duration total) {
  public static final RouteTimeouts DEFAULTS = new RouteTimeouts(Duration.ofSeconds(60), Duration.ofMinutes(5),
      Duration.ofMinutes(10));
}
