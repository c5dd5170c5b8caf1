package dev.junction.provider;

import io.vertx.core.buffer.Buffer;

/**
 * The canonical stream, mirroring Anthropic's Messages stream. Every adapter produces this
 * sequence: one {@link MessageStart}; per block a {@link BlockStart}, deltas of the block's kind and
 * a {@link BlockStop} (blocks are contiguous, never interleaved); one {@link MessageDelta} with the
 * stop reason and cumulative usage; then {@link MessageStop}. A failure ends the stream with one
 * {@link Error} instead, never with a clean stop.
 *
 * <p>A relayed stream ({@link EventStream#relayed()}) also carries {@link Relayed} events: the
 * upstream's own bytes for a caller that speaks the upstream's protocol.
 */
public sealed interface StreamEvent {

  record MessageStart(String id, String model, Usage usage) implements StreamEvent {
  }

  /**
   * A block begins. {@code block} is the empty shell: a text block with "", a tool_use with empty
   * input, a thinking block with "" and no signature.
   */
  record BlockStart(int index, ContentBlock block) implements StreamEvent {
  }

  record TextDelta(int index, String text) implements StreamEvent {
  }

  /** A fragment of a tool call's input JSON; the fragments of one block concatenate to its input. */
  record InputJsonDelta(int index, String partialJson) implements StreamEvent {
  }

  record ThinkingDelta(int index, String thinking) implements StreamEvent {
  }

  record SignatureDelta(int index, String signature) implements StreamEvent {
  }

  record BlockStop(int index) implements StreamEvent {
  }

  /** The stop reason and the usage so far; usage is cumulative, so it replaces earlier values. */
  record MessageDelta(StopReason stopReason, String stopSequence, Usage usage) implements StreamEvent {
  }

  record MessageStop() implements StreamEvent {
  }

  /**
   * Whole frames of the upstream's own stream, to be written to a caller that speaks the same
   * protocol exactly as they are (an event written to a caller, never one that describes the
   * reply). Only a relayed stream has them; its other events describe the reply for usage and
   * checks, and an {@link Error} still ends it with nothing relayed after the failure.
   */
  record Relayed(Buffer bytes) implements StreamEvent {
  }

  /** The stream failed; nothing follows. */
  record Error(ProviderException failure) implements StreamEvent {
  }
}
