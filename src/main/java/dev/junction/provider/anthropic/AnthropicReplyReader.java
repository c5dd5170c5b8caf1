package dev.junction.provider.anthropic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.junction.provider.CanonicalJson;
import dev.junction.provider.ContentBlock;
import dev.junction.provider.JsonMembers;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.StopReason;
import dev.junction.provider.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the usual shape of an Anthropic reply in one pass of Jackson's parser, straight into the
 * canonical form, without the map tree that {@link CanonicalJson#decodeResponse} reads from: every
 * non-streaming reply is decoded, whether it is relayed or translated, so this is on the path of
 * every call. The usual shape is text, tool use and thinking blocks, usage and the stop. Anything
 * else (another block type the canonical form knows, {@code cache_control} on a block, a member
 * given twice, a value of an unexpected type, a block whose {@code type} is not its first member)
 * makes it return null, and the caller takes the general path, which then gives the same result or
 * the same error.
 */
final class AnthropicReplyReader {
  /** Thrown to leave the fast path; carries no stack. */
  private static final class Unusual extends RuntimeException {
    Unusual() {
      super(null, null, false, false);
    }
  }

  private static final Unusual UNUSUAL = new Unusual();

  private AnthropicReplyReader() {
  }

  /** @return the reply, or null when it is not of the usual shape (or not JSON at all) */
  static ModelResponse read(Buffer body) {
    try (JsonParser p = JsonMembers.parser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String id = null;
      String model = null;
      String stopReason = null;
      String stopSequence = null;
      List<ContentBlock> content = null;
      Usage usage = Usage.ZERO;
      int seen = 0;
      for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
        JsonToken t = p.nextToken();
        int bit = switch (key) {
          case "type" -> {
            if (!"message".equals(text(p, t))) {
              throw UNUSUAL;
            }
            yield 1;
          }
          case "id" -> {
            id = text(p, t);
            yield 2;
          }
          case "model" -> {
            model = text(p, t);
            yield 4;
          }
          case "content" -> {
            content = blocks(p, t);
            yield 8;
          }
          case "stop_reason" -> {
            stopReason = text(p, t);
            yield 16;
          }
          case "stop_sequence" -> {
            stopSequence = text(p, t);
            yield 32;
          }
          case "usage" -> {
            usage = usage(p, t);
            yield 64;
          }
          default -> {
            p.skipChildren();
            yield 0;
          }
        };
        seen = once(seen, bit);
      }
      if (content == null || p.nextToken() != null) {
        return null;
      }
      return new ModelResponse(id, model, content, StopReason.fromWire(stopReason), stopSequence, usage);
    } catch (IOException | RuntimeException e) {
      // Unusual, a value the canonical records refuse (a tool call without an id), or not JSON
      return null;
    }
  }

  /** Marks a member as read; a member given twice is unusual (the general path keeps the last). */
  private static int once(int seen, int bit) {
    if ((seen & bit) != 0) {
      throw UNUSUAL;
    }
    return seen | bit;
  }

  /** A string or null; anything else is unusual. */
  private static String text(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    throw UNUSUAL;
  }

  /** A string; null or anything else is unusual. */
  private static String presentText(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    throw UNUSUAL;
  }

  private static List<ContentBlock> blocks(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      throw UNUSUAL;
    }
    List<ContentBlock> out = new ArrayList<>(4);
    for (JsonToken b = p.nextToken(); b != JsonToken.END_ARRAY; b = p.nextToken()) {
      if (b != JsonToken.START_OBJECT || !"type".equals(p.nextFieldName())) {
        throw UNUSUAL;
      }
      String type = presentText(p, p.nextToken());
      ContentBlock block = switch (type) {
        case "text" -> textBlock(p);
        case "tool_use" -> toolUse(p);
        case "thinking" -> thinking(p);
        case "redacted_thinking" -> redacted(p);
        default -> {
          if (CanonicalJson.isKnownBlock(type)) {
            throw UNUSUAL;
          }
          // skipped by the general path too: server-tool blocks have no canonical form yet
          while (p.nextToken() != JsonToken.END_OBJECT) {
            p.skipChildren();
          }
          yield null;
        }
      };
      if (block != null) {
        out.add(block);
      }
    }
    return out;
  }

  private static ContentBlock textBlock(JsonParser p) throws IOException {
    String text = null;
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      JsonToken t = p.nextToken();
      switch (key) {
        case "text" -> {
          if (text != null) {
            throw UNUSUAL;
          }
          text = presentText(p, t);
        }
        case "type", "cache_control" -> throw UNUSUAL;
        default -> p.skipChildren();
      }
    }
    return new ContentBlock.Text(text == null ? "" : text);
  }

  private static ContentBlock toolUse(JsonParser p) throws IOException {
    String id = null;
    String name = null;
    JsonObject input = null;
    int seen = 0;
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      JsonToken t = p.nextToken();
      int bit = switch (key) {
        case "id" -> {
          id = text(p, t);
          yield 1;
        }
        case "name" -> {
          name = text(p, t);
          yield 2;
        }
        case "input" -> {
          if (t != JsonToken.START_OBJECT) {
            throw UNUSUAL;
          }
          @SuppressWarnings("unchecked")
          Map<String, Object> map = (Map<String, Object>) JsonMembers.readValue(p);
          input = new JsonObject(map);
          yield 4;
        }
        case "type" -> throw UNUSUAL;
        default -> {
          p.skipChildren();
          yield 0;
        }
      };
      seen = once(seen, bit);
    }
    return new ContentBlock.ToolUse(id, name, input == null ? new JsonObject() : input);
  }

  private static ContentBlock thinking(JsonParser p) throws IOException {
    String thinking = null;
    String signature = null;
    int seen = 0;
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      JsonToken t = p.nextToken();
      int bit = switch (key) {
        case "thinking" -> {
          thinking = presentText(p, t);
          yield 1;
        }
        case "signature" -> {
          signature = text(p, t);
          yield 2;
        }
        case "type" -> throw UNUSUAL;
        default -> {
          p.skipChildren();
          yield 0;
        }
      };
      seen = once(seen, bit);
    }
    return new ContentBlock.Thinking(thinking == null ? "" : thinking,
        signature == null || signature.isEmpty() ? null : signature);
  }

  private static ContentBlock redacted(JsonParser p) throws IOException {
    String data = null;
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      JsonToken t = p.nextToken();
      switch (key) {
        case "data" -> {
          if (data != null) {
            throw UNUSUAL;
          }
          data = presentText(p, t);
        }
        case "type" -> throw UNUSUAL;
        default -> p.skipChildren();
      }
    }
    return new ContentBlock.RedactedThinking(data == null ? "" : data);
  }

  private static Usage usage(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return Usage.ZERO;
    }
    if (t != JsonToken.START_OBJECT) {
      throw UNUSUAL;
    }
    Usage usage = usage(p, Usage.ZERO);
    if (usage == null) {
      throw UNUSUAL;
    }
    return usage;
  }

  /**
   * A usage object, the parser on its start, read over {@code base} as
   * {@link CanonicalJson#decodeUsage} reads it: a count that is not a number keeps its value from
   * {@code base}. Null when a count is given twice.
   */
  static Usage usage(JsonParser p, Usage base) throws IOException {
    long[] counts = {base.inputTokens(), base.outputTokens(), base.cacheReadTokens(), base.cacheWriteTokens()};
    int seen = 0;
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      JsonToken v = p.nextToken();
      int i = switch (key) {
        case "input_tokens" -> 0;
        case "output_tokens" -> 1;
        case "cache_read_input_tokens" -> 2;
        case "cache_creation_input_tokens" -> 3;
        default -> -1;
      };
      if (i < 0) {
        p.skipChildren();
        continue;
      }
      if ((seen & (1 << i)) != 0) {
        return null;
      }
      seen |= 1 << i;
      if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
        counts[i] = p.getNumberValue().longValue();
      } else {
        p.skipChildren();
      }
    }
    return new Usage(counts[0], counts[1], counts[2], counts[3]);
  }
}
