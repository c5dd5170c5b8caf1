package dev.junction.provider.wire;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits a byte stream into lines, accepting chunks cut anywhere: inside a multi-byte UTF-8
 * character, between CR and LF, or mid-line. Bytes are decoded only once a whole line is present,
 * which is what makes splits inside a character harmless. Line ends are LF, CRLF or a lone CR.
 */
public final class LineSplitter {
  private byte[] pending = new byte[256];
  private int length;
  private boolean lastWasCr;

  /** Feeds a chunk; {@code lines} receives each completed line without its terminator. */
  public void feed(Buffer chunk, Consumer<String> lines) {
    byte[] bytes = chunk.getBytes();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b == '\n') {
        if (lastWasCr) {
          // second half of a CRLF whose CR ended the previous line
          lastWasCr = false;
          start = i + 1;
          continue;
        }
        emit(bytes, start, i, lines);
        start = i + 1;
      } else if (b == '\r') {
        emit(bytes, start, i, lines);
        start = i + 1;
        lastWasCr = true;
        continue;
      }
      lastWasCr = false;
    }
    append(bytes, start, bytes.length);
  }

  /** Flushes a final line that had no terminator. */
  public void end(Consumer<String> lines) {
    if (length > 0) {
      lines.accept(new String(pending, 0, length, StandardCharsets.UTF_8));
      length = 0;
    }
  }

  /** Bytes received but not yet part of a completed line. */
  public int pendingBytes() {
    return length;
  }

  private void emit(byte[] bytes, int from, int to, Consumer<String> lines) {
    String line;
    if (length == 0) {
      line = new String(bytes, from, to - from, StandardCharsets.UTF_8);
    } else {
      append(bytes, from, to);
      line = new String(pending, 0, length, StandardCharsets.UTF_8);
      length = 0;
    }
    lines.accept(line);
  }

  private void append(byte[] bytes, int from, int to) {
    int n = to - from;
    if (n <= 0) {
      return;
    }
    if (length + n > pending.length) {
      pending = Arrays.copyOf(pending, Math.max(pending.length * 2, length + n));
    }
    System.arraycopy(bytes, from, pending, length, n);
    length += n;
  }
}
