package dev.junction.provider.wire;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Incremental {@code text/event-stream} parser (WHATWG rules): {@code data:} lines of one event are
 * joined with LF, a blank line dispatches, {@code :} lines are comments, {@code id:} and
 * {@code retry:} are ignored because upstream streams are never resumed.
 */
public final class SseDecoder {
  private final LineSplitter lines = new LineSplitter();
  private final Consumer<String> onLine = this::line;
  private Consumer<SseEvent> sink;
  private String event;
  private StringBuilder data;

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

  private void line(String line) {
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.charAt(0) == ':') {
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (!value.isEmpty() && value.charAt(0) == ' ') {
      value = value.substring(1);
    }
    if (field.equals("data")) {
      if (data == null) {
        data = new StringBuilder(value);
      } else {
        data.append('\n').append(value);
      }
    } else if (field.equals("event")) {
      event = value;
    }
  }

  private void dispatch() {
    if (data != null) {
      sink.accept(new SseEvent(event, data.toString()));
    }
    data = null;
    event = null;
  }
}
