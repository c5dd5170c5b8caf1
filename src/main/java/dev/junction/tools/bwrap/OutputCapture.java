package dev.junction.tools.bwrap;

import dev.junction.tools.Output;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the first {@code headCap} and the last {@code tailCap} bytes written and only counts the
 * rest, so a command printing gigabytes costs the gateway a fixed amount of memory.
 */
final class OutputCapture {
  private final int headCap;
  private final byte[] ring;
  private final ByteArrayOutputStream head;
  private int ringPos;
  private long ringFill;
  private long total;

  OutputCapture(int headCap, int tailCap) {
    this.headCap = headCap;
    this.ring = new byte[tailCap];
    this.head = new ByteArrayOutputStream(Math.min(headCap, 8192));
  }

  /** A capture that keeps {@code cap} bytes split between the beginning and the end. */
  static OutputCapture headAndTail(int cap) {
    int headCap = cap / 2;
    return new OutputCapture(headCap, cap - headCap);
  }

  /** A capture that keeps only the first {@code cap} bytes (for output a caller parses). */
  static OutputCapture headOnly(int cap) {
    return new OutputCapture(cap, 0);
  }

  void write(byte[] b, int off, int len) {
    total += len;
    int toHead = Math.min(len, headCap - head.size());
    if (toHead > 0) {
      head.write(b, off, toHead);
      off += toHead;
      len -= toHead;
    }
    if (len == 0 || ring.length == 0) {
      return;
    }
    if (len >= ring.length) {
      System.arraycopy(b, off + len - ring.length, ring, 0, ring.length);
      ringPos = 0;
      ringFill = ring.length;
      return;
    }
    int first = Math.min(len, ring.length - ringPos);
    System.arraycopy(b, off, ring, ringPos, first);
    System.arraycopy(b, off + first, ring, 0, len - first);
    ringPos = (ringPos + len) % ring.length;
    ringFill = Math.min(ring.length, ringFill + len);
  }

  long total() {
    return total;
  }

  Output toOutput() {
    byte[] tail = new byte[(int) ringFill];
    if (ringFill == ring.length && ring.length > 0) {
      System.arraycopy(ring, ringPos, tail, 0, ring.length - ringPos);
      System.arraycopy(ring, 0, tail, ring.length - ringPos, ringPos);
    } else {
      System.arraycopy(ring, 0, tail, 0, (int) ringFill);
    }
    long omitted = total - head.size() - tail.length;
    return new Output(head.toString(StandardCharsets.UTF_8), new String(tail, StandardCharsets.UTF_8), omitted);
  }
}
