package dev.junction.provider.openai;

import dev.junction.provider.FailureClass;
import dev.junction.provider.ProviderException;
import dev.junction.provider.StreamEvent;
import dev.junction.provider.StreamWriter;
import dev.junction.provider.wire.SseDecoder;
import dev.junction.provider.wire.SseEvent;
import dev.junction.provider.wire.StreamDecoder;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * What the Chat Completions and Responses stream decoders share, so that they differ only in how
 * they read one event: server-sent events in, a {@link StreamWriter} building the canonical stream
 * out, input ignored once the stream has terminated, and how a stream fails. A body that ends before
 * the protocol's last event fails it as NETWORK; an event that cannot be decoded fails it as
 * MALFORMED, unless decoding threw a {@link ProviderException}, which then fails it as it is.
 */
abstract class SseStreamDecoder implements StreamDecoder {
  /** Where a subclass writes the canonical stream; its sink is set before every event. */
  final StreamWriter writer = new StreamWriter();
  private final SseDecoder sse = new SseDecoder();
  private final Consumer<SseEvent> onEvent = this::event;
  private final String endedEarly;
  private final String invalid;

  /**
   * @param endedEarly the message of the NETWORK failure when the body ends before the last event
   * @param invalid    what the message of a MALFORMED failure starts with, before the cause's message
   */
  SseStreamDecoder(String endedEarly, String invalid) {
    this.endedEarly = endedEarly;
    this.invalid = invalid;
  }

  @Override
  public final void feed(Buffer chunk, Consumer<StreamEvent> out) {
    if (writer.terminated()) {
      return;
    }
    writer.to(out);
    sse.feed(chunk, onEvent);
  }

  @Override
  public final void end(Consumer<StreamEvent> out) {
    writer.to(out);
    sse.end(onEvent);
    if (!writer.terminated()) {
      writer.fail(ProviderException.of(FailureClass.NETWORK, endedEarly));
    }
  }

  @Override
  public final boolean finished() {
    return writer.terminated();
  }

  /** Decodes one event of a stream that has not terminated; may throw to fail the stream. */
  abstract void decode(SseEvent event);

  /** Fails the stream with what decoding an event threw. */
  final void fail(RuntimeException e) {
    writer.fail(e instanceof ProviderException p ? p
        : ProviderException.of(FailureClass.MALFORMED, invalid + e.getMessage(), e));
  }

  private void event(SseEvent event) {
    if (writer.terminated()) {
      return;
    }
    try {
      decode(event);
    } catch (RuntimeException e) {
      fail(e);
    }
  }
}
