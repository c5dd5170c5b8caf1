package dev.junction.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * Reads how long a provider asked us to wait: {@code retry-after-ms} (milliseconds) first, then
 * {@code retry-after} as seconds or as an HTTP date, measured against an injected clock.
 */
public final class RetryAfter {
  private RetryAfter() {
  }

  /** @param header a case-insensitive header lookup returning null when absent */
  public static Duration parse(Function<String, String> header, Clock clock) {
    String ms = header.apply("retry-after-ms");
    if (ms != null) {
      try {
        double value = Double.parseDouble(ms.trim());
        if (value >= 0 && !Double.isInfinite(value)) {
          return Duration.ofNanos((long) (value * 1_000_000));
        }
      } catch (NumberFormatException ignored) {
        // fall through to retry-after, as the SDKs do
      }
    }
    String value = header.apply("retry-after");
    if (value == null || value.isBlank()) {
      return null;
    }
    String trimmed = value.trim();
    try {
      double seconds = Double.parseDouble(trimmed);
      return seconds < 0 || Double.isInfinite(seconds) ? null : Duration.ofMillis((long) (seconds * 1000));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime when = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(clock.instant(), when.toInstant());
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
  }
}
