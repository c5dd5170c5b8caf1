package dev.junction.provider;

import java.time.Duration;

/**
 * The four clocks of a provider call, each null when unset: {@code connect} (TCP and TLS),
 * {@code firstToken} (request sent to the first body byte of a stream; a non-streaming reply only
 * starts when generation is done, so there only {@code total} applies), {@code idle} (between body
 * chunks) and {@code total} (the whole call, stream included).
 */
public record Timeouts(Duration connect, Duration firstToken, Duration idle, Duration total) {
  public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(60),
      Duration.ofSeconds(30), Duration.ofMinutes(10));

  /** These values, with any non-null value of {@code override} taking precedence. */
  public Timeouts overriddenBy(Timeouts override) {
    if (override == null) {
      return this;
    }
    return new Timeouts(pick(override.connect, connect), pick(override.firstToken, firstToken),
        pick(override.idle, idle), pick(override.total, total));
  }

  private static Duration pick(Duration preferred, Duration fallback) {
    return preferred != null ? preferred : fallback;
  }
}
