package dev.junction.provider.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The relay's line-break search, eight bytes at a time, against the plain loop it replaces. */
class SseRelayTest {

  private static int naive(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\n' || bytes[i] == '\r') {
        return i;
      }
    }
    return -1;
  }

  @Test
  void findsTheFirstLineBreakWhereverItIs() {
    Random random = new Random(7);
    // bytes next to the ones searched for (0x0B, 0x0C, 0x8A, 0x8D) and UTF-8 continuation bytes
    byte[] alphabet = {'a', '{', '"', ' ', 0x0B, 0x0C, 0x09, (byte) 0x8A, (byte) 0x8D, (byte) 0xC3, (byte) 0xA9, '\n', '\r', 0};
    for (int round = 0; round < 20_000; round++) {
      byte[] bytes = new byte[1 + random.nextInt(40)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = random.nextInt(6) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) ('a' + random.nextInt(26));
      }
      int from = random.nextInt(bytes.length);
      int to = from + random.nextInt(bytes.length - from + 1);
      assertEquals(naive(bytes, from, to), SseRelay.nextLineBreak(bytes, from, to), () -> java.util.Arrays.toString(bytes));
    }
  }
}
