package dev.junction.provider.openaicompat;

import dev.junction.provider.StreamWriter;
import dev.junction.provider.ToolIds;
import dev.junction.provider.openai.ChatTextHandler;
import java.util.Set;

/**
 * Splits Qwen markup out of streamed text: {@code <think>…</think>} becomes a thinking block (an
 * unclosed {@code <think>} runs to the end), and {@code <tool_call>…</tool_call>} becomes a tool
 * call when it parses and names a requested tool, else stays text. Tags may arrive cut across
 * deltas, so a suffix that could begin a tag is held back until the next delta decides it.
 */
public final class TaggedTextHandler implements ChatTextHandler {
  private static final String THINK_OPEN = "<think>";
  private static final String THINK_CLOSE = "</think>";
  private static final String CALL_OPEN = "<tool_call>";
  private static final String CALL_CLOSE = "</tool_call>";

  private enum State { TEXT, THINK, CALL }

  private final Set<String> toolNames;
  private final String idSeed;
  private final StringBuilder buffer = new StringBuilder();
  private State state = State.TEXT;
  private boolean trimLeading = true;
  private int calls;

  /**
   * @param toolNames the request's tool names; text calls of other names stay text
   * @param idSeed added to the message id to seed ids for parsed calls, which the text form does
   *     not carry; local servers reuse message ids, so the caller passes something that differs
   *     per turn (the request's message count)
   */
  public TaggedTextHandler(Set<String> toolNames, String idSeed) {
    this.toolNames = toolNames;
    this.idSeed = idSeed;
  }

  @Override
  public void text(String delta, StreamWriter writer) {
    buffer.append(delta);
    drain(writer, false);
  }

  @Override
  public void flush(StreamWriter writer) {
    drain(writer, true);
  }

  private void drain(StreamWriter writer, boolean end) {
    while (buffer.length() > 0) {
      switch (state) {
        case TEXT -> {
          int think = buffer.indexOf(THINK_OPEN);
          int call = buffer.indexOf(CALL_OPEN);
          int tag = think < 0 ? call : call < 0 ? think : Math.min(think, call);
          if (tag >= 0) {
            emitText(buffer.substring(0, tag).stripTrailing(), writer);
            boolean isThink = tag == think;
            buffer.delete(0, tag + (isThink ? THINK_OPEN.length() : CALL_OPEN.length()));
            state = isThink ? State.THINK : State.CALL;
            trimLeading = true;
            continue;
          }
          int keep = end ? 0 : holdBack(Math.max(partialSuffix(THINK_OPEN), partialSuffix(CALL_OPEN)));
          emitText(buffer.substring(0, buffer.length() - keep), writer);
          buffer.delete(0, buffer.length() - keep);
          return;
        }
        case THINK -> {
          int close = buffer.indexOf(THINK_CLOSE);
          if (close >= 0) {
            emitThinking(buffer.substring(0, close).stripTrailing(), writer);
            buffer.delete(0, close + THINK_CLOSE.length());
            state = State.TEXT;
            trimLeading = true;
            continue;
          }
          int keep = end ? 0 : holdBack(partialSuffix(THINK_CLOSE));
          emitThinking(buffer.substring(0, buffer.length() - keep), writer);
          buffer.delete(0, buffer.length() - keep);
          return;
        }
        case CALL -> {
          int close = buffer.indexOf(CALL_CLOSE);
          if (close < 0 && !end) {
            return;
          }
          String body = close < 0 ? buffer.toString() : buffer.substring(0, close);
          buffer.delete(0, close < 0 ? buffer.length() : close + CALL_CLOSE.length());
          state = State.TEXT;
          trimLeading = true;
          TextToolCalls.Parsed parsed = TextToolCalls.parse(body, toolNames);
          if (parsed != null) {
            writer.toolCall(ToolIds.synthesize(writer.messageId() + idSeed, calls++), parsed.name(), parsed.input());
          } else {
            writer.text(CALL_OPEN + body + (close < 0 ? "" : CALL_CLOSE));
          }
        }
      }
    }
  }

  /** Text after a tag starts with the template's blank lines; they are layout, not content. */
  private void emitText(String text, StreamWriter writer) {
    if (trimLeading) {
      text = text.stripLeading();
      if (text.isEmpty()) {
        return;
      }
      trimLeading = false;
    }
    writer.text(text);
  }

  private void emitThinking(String text, StreamWriter writer) {
    if (trimLeading) {
      text = text.stripLeading();
      if (text.isEmpty()) {
        return;
      }
      trimLeading = false;
    }
    writer.thinking(text);
  }

  /**
   * How much of the buffer's end to hold back: a possible partial tag plus the whitespace before
   * it, because whitespace next to a tag is template layout and is dropped if the tag follows.
   */
  private int holdBack(int partialTag) {
    int n = partialTag;
    while (n < buffer.length() && Character.isWhitespace(buffer.charAt(buffer.length() - 1 - n))) {
      n++;
    }
    return n;
  }

  /** Length of the longest buffer suffix that is a proper prefix of {@code tag}. */
  private int partialSuffix(String tag) {
    int max = Math.min(tag.length() - 1, buffer.length());
    for (int n = max; n > 0; n--) {
      boolean match = true;
      for (int i = 0; i < n; i++) {
        if (buffer.charAt(buffer.length() - n + i) != tag.charAt(i)) {
          match = false;
          break;
        }
      }
      if (match) {
        return n;
      }
    }
    return 0;
  }
}
