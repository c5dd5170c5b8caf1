package dev.junction.provider;

import java.util.List;
import java.util.Objects;

/**
 * A complete canonical reply, shaped like an Anthropic {@code Message}.
 *
 * @param stopSequence the stop sequence that ended the text, when {@code stopReason} is STOP_SEQUENCE
 */
public record ModelResponse(String id, String model, List<ContentBlock> content, StopReason stopReason,
    String stopSequence, Usage usage) {
  public ModelResponse {
    Objects.requireNonNull(content, "content");
    content = List.copyOf(content);
    usage = usage == null ? Usage.ZERO : usage;
  }

  /** True when the reply asks for at least one tool call. */
  public boolean hasToolUse() {
    for (ContentBlock block : content) {
      if (block instanceof ContentBlock.ToolUse) {
        return true;
      }
    }
    return false;
  }

  /** The text blocks joined, for logs and simple callers. */
  public String text() {
    StringBuilder out = new StringBuilder();
    for (ContentBlock block : content) {
      if (block instanceof ContentBlock.Text text) {
        out.append(text.text());
      }
    }
    return out.toString();
  }
}
