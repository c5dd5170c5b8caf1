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
  /** Receives a completed line as a range of bytes, valid only during the call. */
  @FunctionalInterface
  public interface Lines {
    void line(byte[] bytes, int from, int to);
  }

  private byte[] pending = new byte[256];
  private int length;
  private boolean lastWasCr;

  /** Feeds a chunk; {@code lines} receives each completed line without its terminator. */
  public void feed(Buffer chunk, Consumer<String> lines) {
    feed(chunk, (bytes, from, to) -> lines.accept(new String(bytes, from, to - from, StandardCharsets.UTF_8)));
  }

  /**
   * Feeds a chunk; {@code lines} receives each completed line as bytes, without its terminator (the
   * chunk's own bytes when the line lies within it, so a reader decodes only what it keeps).
   */
  public void feed(Buffer chunk, Lines lines) {
    BufferBytes in = BufferBytes.of(chunk);
    byte[] bytes = in.array();
    int offset = in.offset();
    int end = offset + chunk.length();
    int start = offset;
    for (int i = offset; i < end; i++) {
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
    append(bytes, start, end);
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

  private void emit(byte[] bytes, int from, int to, Lines lines) {
    if (length == 0) {
      lines.line(bytes, from, to);
    } else {
      append(bytes, from, to);
      int n = length;
      length = 0;
      lines.line(pending, 0, n);
    }
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
