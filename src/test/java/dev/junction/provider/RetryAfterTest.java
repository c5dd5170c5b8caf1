package dev.junction.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static Duration parse(Map<String, String> headers) {
    return RetryAfter.parse(headers::get, Decoding.CLOCK);
  }

  @Test
  void millisecondsWinOverSeconds() {
    assertEquals(Duration.ofMillis(1500), parse(Map.of("retry-after-ms", "1500", "retry-after", "9")));
  }

  @Test
  void fractionalMillisecondsAreKept() {
    assertEquals(Duration.ofNanos(250_500_000), parse(Map.of("retry-after-ms", "250.5")));
  }

  @Test
  void secondsAreRead() {
    assertEquals(Duration.ofSeconds(17), parse(Map.of("retry-after", "17")));
    assertEquals(Duration.ofMillis(2646), parse(Map.of("retry-after", "2.646")));
  }

  @Test
  void anHttpDateIsMeasuredAgainstTheInjectedClock() {
    // the clock reads 2026-11-26T11:20:00Z
    assertEquals(Duration.ofSeconds(42), parse(Map.of("retry-after", "Thu, 26 Nov 2026 11:20:42 GMT")));
    assertEquals(Duration.ZERO, parse(Map.of("retry-after", "Thu, 26 Nov 2026 11:19:00 GMT")));
  }

  @Test
  void garbageAndAbsenceMeanNoHint() {
    assertNull(parse(Map.of()));
    assertNull(parse(Map.of("retry-after", "soon")));
    assertNull(parse(Map.of("retry-after", "-3")));
    assertEquals(Duration.ofSeconds(4), parse(Map.of("retry-after-ms", "x", "retry-after", "4")));
  }
}
