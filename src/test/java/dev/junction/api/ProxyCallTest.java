package dev.junction.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProxyCallTest {

  @Test
  void theOverheadHeaderIsMillisecondsWithThreeDecimalsRounded() {
    assertEquals("0.000", ProxyCall.millis(0));
    assertEquals("0.000", ProxyCall.millis(499));
    assertEquals("0.001", ProxyCall.millis(500));
    assertEquals("0.042", ProxyCall.millis(42_000));
    assertEquals("0.420", ProxyCall.millis(419_600));
    assertEquals("1.500", ProxyCall.millis(1_500_000));
    assertEquals("12345.679", ProxyCall.millis(12_345_678_901L));
  }
}
