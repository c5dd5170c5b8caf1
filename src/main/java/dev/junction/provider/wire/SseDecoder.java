package dev.junction.provider.wire;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Incremental {@code text/event-stream} parser (WHATWG rules): {@code data:} lines of one event are
 * joined with LF, a blank line dispatches, {@code :} lines are comments, {@code id:} and
 * {@code retry:} are ignored because upstream streams are never resumed.
 */
public final class SseDecoder {
  private final LineSplitter lines = new LineSplitter();
  private final LineSplitter.Lines onLine = this::line;
  private Consumer<SseEvent> sink;
  private String event;
  private String data;
  private StringBuilder moreData;

  public void feed(Buffer chunk, Consumer<SseEvent> events) {
    sink = events;
    lines.feed(chunk, onLine);
  }

  /**
   * Ends the stream. A line cut off without its terminator is dropped (it may be a truncated JSON
   * document); complete {@code data:} lines still waiting for their blank line are dispatched,
   * because some servers end with {@code data: [DONE]\n} and no blank line.
   */
  public void end(Consumer<SseEvent> events) {
    sink = events;
    dispatch();
  }

  /** One line, as bytes: only a field's value is decoded, and only for the fields kept. */
  private void line(byte[] bytes, int from, int to) {
    if (from == to) {
      dispatch();
      return;
    }
    if (bytes[from] == ':') {
      return;
    }
    int colon = from;
    while (colon < to && bytes[colon] != ':') {
      colon++;
    }
    int value = colon < to ? colon + 1 : to;
    if (value < to && bytes[value] == ' ') {
      value++;
    }
    if (field(bytes, from, colon, "data")) {
      String text = new String(bytes, value, to - value, StandardCharsets.UTF_8);
      if (data == null) {
        data = text;
      } else {
        if (moreData == null) {
          moreData = new StringBuilder(data);
        }
        moreData.append('\n').append(text);
      }
    } else if (field(bytes, from, colon, "event")) {
      event = new String(bytes, value, to - value, StandardCharsets.UTF_8);
    }
  }

  private static boolean field(byte[] bytes, int from, int to, String name) {
    if (to - from != name.length()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (bytes[from + i] != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private void dispatch() {
    if (data != null) {
      sink.accept(new SseEvent(event, moreData != null ? moreData.toString() : data));
    }
    data = null;
    moreData = null;
    event = null;
  }
}
