package dev.junction.tools.bwrap;

import dev.junction.tools.Output;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class OutputCaptureTest {

  private static void write(OutputCapture c, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    c.write(b, 0, b.length);
  }

  @Test
  void shouldKeepEverythingUnderTheCap() {
    OutputCapture c = OutputCapture.headAndTail(10);
    write(c, "abc");
    write(c, "de");
    Output o = c.toOutput();
    assertFalse(o.truncated());
    assertEquals("abcde", o.render());
  }

  @Test
  void shouldKeepHeadAndTailAndCountTheMiddle() {
    OutputCapture c = OutputCapture.headAndTail(10);
    for (char ch = 'a'; ch <= 'z'; ch++) {
      write(c, String.valueOf(ch));
    }
    Output o = c.toOutput();
    assertEquals("abcde", o.head());
    assertEquals("vwxyz", o.tail());
    assertEquals(16, o.omitted());
    assertEquals("abcde\n[output truncated: 16 bytes omitted]\nvwxyz", o.render());
  }

  @Test
  void shouldHandleChunksLargerThanTheTail() {
    OutputCapture c = OutputCapture.headAndTail(8);
    write(c, "0123456789abcdefghij");
    write(c, "XY");
    Output o = c.toOutput();
    assertEquals("0123", o.head());
    assertEquals("hijXY".substring(1), o.tail());
    assertEquals(22 - 8, o.omitted());
  }

  @Test
  void shouldKeepOnlyTheHeadWhenAskedTo() {
    OutputCapture c = OutputCapture.headOnly(4);
    write(c, "abcdefgh");
    Output o = c.toOutput();
    assertEquals("abcd", o.head());
    assertEquals("", o.tail());
    assertEquals(4, o.omitted());
    assertEquals(8, c.total());
  }
}
