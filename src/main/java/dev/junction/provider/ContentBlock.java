package dev.junction.provider;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * One canonical content block, shaped like an Anthropic Messages content block. Records are
 * immutable: JSON payloads ({@link ToolUse#input()}) are copied on the way in and must not be
 * changed by readers.
 */
public sealed interface ContentBlock {

  /** A text block. Empty text is legal in the canonical form but never sent to Anthropic. */
  record Text(String text, CacheControl cacheControl) implements ContentBlock {
    public Text {
      Objects.requireNonNull(text, "text");
    }

    public Text(String text) {
      this(text, null);
    }
  }

  /** An image, inline or by URL. */
  record Image(MediaSource source) implements ContentBlock {
    public Image {
      Objects.requireNonNull(source, "source");
    }
  }

  /** A document (PDF or plain text); only Anthropic accepts it natively. */
  record Document(MediaSource source, String title) implements ContentBlock {
    public Document {
      Objects.requireNonNull(source, "source");
    }
  }

  /** A tool call made by the assistant. {@code id} matches {@code ^[a-zA-Z0-9_-]+$}. */
  record ToolUse(String id, String name, JsonObject input) implements ContentBlock {
    public ToolUse {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      input = input == null ? new JsonObject() : input.copy();
    }
  }

  /** The result of a tool call, sent in the user turn that follows the call. */
  record ToolResult(String toolUseId, List<ContentBlock> content, boolean isError, CacheControl cacheControl)
      implements ContentBlock {
    public ToolResult {
      Objects.requireNonNull(toolUseId, "toolUseId");
      content = List.copyOf(content);
    }

    public ToolResult(String toolUseId, String text, boolean isError) {
      this(toolUseId, List.of(new Text(text)), isError, null);
    }

    /** All text blocks joined with newlines: the form text-only tool channels accept. */
    public String joinedText() {
      StringBuilder out = new StringBuilder();
      for (ContentBlock block : content) {
        if (block instanceof Text text) {
          if (out.length() > 0) {
            out.append('\n');
          }
          out.append(text.text());
        }
      }
      return out.toString();
    }
  }

  /**
   * Model reasoning. An Anthropic {@code signature} is opaque base64. Another provider's reasoning
   * either has no signature or a foreign one, {@code <provider>:<payload>} (base64 has no colon),
   * which only that provider's encoder replays; Anthropic never receives either kind.
   */
  record Thinking(String thinking, String signature) implements ContentBlock {
    public Thinking {
      Objects.requireNonNull(thinking, "thinking");
    }

    /** A signature carrying another provider's opaque reasoning state. */
    public static String foreignSignature(String provider, String payload) {
      return provider + ":" + payload;
    }

    /** True when Anthropic signed this block, so it may and must be replayed to Anthropic unchanged. */
    public boolean signedByAnthropic() {
      return signature != null && !signature.isEmpty() && signature.indexOf(':') < 0;
    }

    /** The payload of a foreign signature from {@code provider}, or null. */
    public String foreignPayload(String provider) {
      String prefix = provider + ":";
      return signature != null && signature.startsWith(prefix) ? signature.substring(prefix.length()) : null;
    }
  }

  /** Encrypted reasoning from Anthropic, replayed unchanged. */
  record RedactedThinking(String data) implements ContentBlock {
    public RedactedThinking {
      Objects.requireNonNull(data, "data");
    }
  }
}
