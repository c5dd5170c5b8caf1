package dev.junction.provider.openai;

import dev.junction.provider.StreamWriter;

/**
 * Where streamed {@code delta.content} goes. OpenAI's is plain text; local servers may embed
 * {@code <think>} and {@code <tool_call>} markup that a handler splits out (see the
 * OpenAI-compatible adapter).
 */
public interface ChatTextHandler {

  void text(String delta, StreamWriter writer);

  /** The text ended (finish_reason or end of stream): flush anything held back. */
  void flush(StreamWriter writer);

  /** Plain text, written as it comes. */
  ChatTextHandler PLAIN = new ChatTextHandler() {
    @Override
    public void text(String delta, StreamWriter writer) {
      writer.text(delta);
    }

    @Override
    public void flush(StreamWriter writer) {
    }
  };
}
