package dev.junction.store;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.ZoneOffset;

/** RFC 3339 timestamps with millisecond precision in UTC, as MA sends them. */
public final class Timestamps {
  private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
      .appendPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").toFormatter().withZone(ZoneOffset.UTC);

  /** The last timestamp formatted: a busy gateway stamps many events within one millisecond. */
  private static volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

  private record Formatted(long millis, String text) {
  }

  private Timestamps() {
  }

  public static String format(long epochMillis) {
    Formatted f = last;
    if (f.millis != epochMillis) {
      f = new Formatted(epochMillis, FORMAT.format(Instant.ofEpochMilli(epochMillis)));
      last = f;
    }
    return f.text;
  }

  public static long parse(String rfc3339) {
    return java.time.OffsetDateTime.parse(rfc3339).toInstant().toEpochMilli();
  }
}
