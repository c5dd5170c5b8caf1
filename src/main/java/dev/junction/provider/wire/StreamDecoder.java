package dev.junction.provider.wire;

import dev.junction.provider.StreamEvent;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Turns an upstream stream body, fed in arbitrary chunks, into canonical {@link StreamEvent}s. An
 * implementation is single-use and not thread-safe. After it emits a terminal event (message_stop
 * or error) it ignores further input.
 */
public interface StreamDecoder {

  void feed(Buffer chunk, Consumer<StreamEvent> out);

  /** The body ended; emits an error event if the stream had not terminated cleanly. */
  void end(Consumer<StreamEvent> out);

  /** True once a terminal event has been emitted. */
  boolean finished();
}
