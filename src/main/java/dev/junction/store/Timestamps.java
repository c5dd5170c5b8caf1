package dev.junction.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
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
      f = new Formatted(epochMillis, write(epochMillis));
      last = f;
    }
    return f.text;
  }

  /**
   * Writes the form digit by digit: {@code DateTimeFormatter} goes through {@code BigDecimal} for the
   * fraction, and every event the gateway stamps is formatted. Years outside 0-9999 take the formatter.
   */
  private static String write(long epochMillis) {
    long days = Math.floorDiv(epochMillis, 86_400_000L);
    int ms = (int) Math.floorMod(epochMillis, 86_400_000L);
    LocalDate date = LocalDate.ofEpochDay(days);
    int year = date.getYear();
    if (year < 0 || year > 9999) {
      return FORMAT.format(Instant.ofEpochMilli(epochMillis));
    }
    char[] c = new char[24];
    put(c, 0, year, 4);
    c[4] = '-';
    put(c, 5, date.getMonthValue(), 2);
    c[7] = '-';
    put(c, 8, date.getDayOfMonth(), 2);
    c[10] = 'T';
    put(c, 11, ms / 3_600_000, 2);
    c[13] = ':';
    put(c, 14, ms / 60_000 % 60, 2);
    c[16] = ':';
    put(c, 17, ms / 1000 % 60, 2);
    c[19] = '.';
    put(c, 20, ms % 1000, 3);
    c[23] = 'Z';
    return new String(c);
  }

  /** Writes {@code value} as {@code n} decimal digits, zero-padded, at {@code c[from]}. */
  private static void put(char[] c, int from, int value, int n) {
    for (int i = from + n - 1; i >= from; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /**
   * Epoch milliseconds of an RFC 3339 timestamp. The form this class writes
   * ({@code 2026-11-26T18:50:05.338Z}) is read digit by digit, since the store's writer parses the
   * {@code processed_at} of every event it appends; any other form goes through {@code java.time}.
   *
   * @throws java.time.format.DateTimeParseException when it is not a timestamp
   */
  public static long parse(String rfc3339) {
    if (rfc3339.length() == 24 && rfc3339.charAt(4) == '-' && rfc3339.charAt(7) == '-' && rfc3339.charAt(10) == 'T'
        && rfc3339.charAt(13) == ':' && rfc3339.charAt(16) == ':' && rfc3339.charAt(19) == '.' && rfc3339.charAt(23) == 'Z') {
      int year = digits(rfc3339, 0, 4);
      int month = digits(rfc3339, 5, 2);
      int day = digits(rfc3339, 8, 2);
      int hour = digits(rfc3339, 11, 2);
      int minute = digits(rfc3339, 14, 2);
      int second = digits(rfc3339, 17, 2);
      int millis = digits(rfc3339, 20, 3);
      if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= YearMonth.of(year, month).lengthOfMonth()
          && hour >= 0 && hour < 24 && minute >= 0 && minute < 60 && second >= 0 && second < 60 && millis >= 0) {
        long days = LocalDate.of(year, month, day).toEpochDay();
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
      }
    }
    return java.time.OffsetDateTime.parse(rfc3339).toInstant().toEpochMilli();
  }

  /** The decimal number in {@code s[from, from + n)}, or -1 when a character there is not a digit. */
  private static int digits(String s, int from, int n) {
    int v = 0;
    for (int i = from; i < from + n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
