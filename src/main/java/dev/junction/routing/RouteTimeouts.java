package dev.junction.routing;

import java.time.Duration;

/**
 * A route's clocks. {@code firstToken} bounds an attempt until its first byte (for a stream: until
 * it commits); {@code attempt} bounds one non-streaming attempt end to end; {@code total} bounds
 * the whole failover, every attempt included (for a stream: until commit).
 */
public record RouteTimeouts(Duration firstToken, Duration attempt, Duration total) {
  public static final RouteTimeouts DEFAULTS = new RouteTimeouts(Duration.ofSeconds(60), Duration.ofMinutes(5),
      Duration.ofMinutes(10));
}
