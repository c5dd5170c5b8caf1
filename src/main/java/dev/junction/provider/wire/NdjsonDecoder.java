package dev.junction.provider.wire;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/** Newline-delimited JSON (Ollama's native stream): one non-blank line is one JSON document. */
public final class NdjsonDecoder {
  private final LineSplitter lines = new LineSplitter();

  public void feed(Buffer chunk, Consumer<String> documents) {
    lines.feed(chunk, line -> deliver(line, documents));
  }

  public void end(Consumer<String> documents) {
    lines.end(line -> deliver(line, documents));
  }

  private static void deliver(String line, Consumer<String> documents) {
    if (!line.isBlank()) {
      documents.accept(line);
    }
  }
}
