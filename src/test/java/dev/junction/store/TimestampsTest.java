package dev.junction.store;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TimestampsTest {

  @Test
  void theWrittenFormReadsBackToTheSameMillisecondAsJavaTimeReadsIt() {
    Random r = new Random(11);
    for (int i = 0; i < 100_000; i++) {
      // 1970 to 2200, leap days and month ends included by the spread
      long millis = (long) (r.nextDouble() * 7_258_118_400_000L);
      String text = Timestamps.format(millis);
      assertEquals(millis, Timestamps.parse(text), text);
      assertEquals(OffsetDateTime.parse(text).toInstant().toEpochMilli(), Timestamps.parse(text), text);
    }
    assertEquals(951_782_400_000L, Timestamps.parse("2000-02-29T00:00:00.000Z"));
    assertEquals(0, Timestamps.parse("1970-01-01T00:00:00.000Z"));
  }

  @Test
  void theWrittenFormIsJavaTimesForEveryMillisecondOfFourDigitYears() {
    java.time.format.DateTimeFormatter reference = java.time.format.DateTimeFormatter
        .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);
    Random r = new Random(12);
    long min = java.time.Instant.parse("0000-01-01T00:00:00Z").toEpochMilli();
    long max = java.time.Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
    for (int i = 0; i < 100_000; i++) {
      long millis = min + (long) (r.nextDouble() * (max - min));
      assertEquals(reference.format(java.time.Instant.ofEpochMilli(millis)), Timestamps.format(millis));
    }
    for (long millis : new long[] {min, max, -1, 0, 1, 951_782_399_999L, 951_782_400_000L}) {
      assertEquals(reference.format(java.time.Instant.ofEpochMilli(millis)), Timestamps.format(millis));
    }
    assertEquals("+10000-01-01T00:00:00.000Z", Timestamps.format(max + 1));
  }

  @Test
  void otherRfc3339FormsAreReadByJavaTime() {
    assertEquals(Timestamps.parse("2026-11-26T16:50:05.338Z"), Timestamps.parse("2026-11-26T18:50:05.338+02:00"));
    assertEquals(Timestamps.parse("2026-11-26T18:50:05.000Z"), Timestamps.parse("2026-11-26T18:50:05Z"));
  }

  @Test
  void whatIsNotATimestampIsRefused() {
    for (String bad : new String[] {"2026-02-30T00:00:00.000Z", "2026-13-01T00:00:00.000Z", "2026-11-26T24:00:00.000Z",
        "2026-11-26T18:60:00.000Z", "2026-11-26T18:50:05.33xZ", "2026-11-26 18:50:05.338Z", "yesterday", ""}) {
      assertThrows(DateTimeParseException.class, () -> Timestamps.parse(bad), bad);
    }
  }
}
