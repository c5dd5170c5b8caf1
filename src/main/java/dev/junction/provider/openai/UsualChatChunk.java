package dev.junction.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.junction.provider.JsonMembers;
import dev.junction.provider.Usage;
import java.io.IOException;

/**
 * What {@link ChatStreamDecoder} takes from a Chat Completions chunk of the usual shapes, read in
 * one pass of Jackson's parser without the map tree it otherwise builds per chunk: a translated
 * stream decodes every chunk, and nearly all of them are the first one (the role, maybe empty
 * content), text or reasoning deltas, the finish and the usage. Each value is read as the general
 * way's {@code JsonObject} getters read it, so that the decoder can hand both to the same methods.
 * Anything else (an error, tool-call fragments, more than one choice, a member given twice, a value
 * of an unexpected type) is left to the general way, which then gives the same events or the same
 * error.
 *
 * @param id           the chunk's id; null when it was not read (the stream had started)
 * @param model        likewise
 * @param usage        null when the chunk has none
 * @param reasoning    {@code delta.reasoning}, or else {@code delta.reasoning_content}
 * @param content      {@code delta.content}
 * @param finishReason {@code choices[0].finish_reason}
 */
record UsualChatChunk(String id, String model, Usage usage, String reasoning, String content, String finishReason) {

  /** Thrown to leave the one-pass reading; carries no stack. */
  private static final class Unusual extends RuntimeException {
    Unusual() {
      super(null, null, false, false);
    }
  }

  private static final Unusual UNUSUAL = new Unusual();

  /** How tool-call fragments start, as servers write them (a space after the colon only costs a longer try). */
  private static final String TOOL_CALLS = "\"tool_calls\":[{";

  /**
   * @param started the stream has started, so the general way no longer reads {@code id} and
   *     {@code model} (nor minds their type)
   * @return null when the data is not one JSON object of a usual shape
   */
  static UsualChatChunk read(String data, boolean started) {
    if (data.contains(TOOL_CALLS)) {
      // most chunks of a tool-calling stream are fragments, which would be read up to their delta
      // before being given up; a chunk that only looks like one is still decoded, the general way
      return null;
    }
    try (JsonParser p = JsonMembers.parser(data)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      Reading r = new Reading();
      int seen = 0;
      for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
        JsonToken t = p.nextToken();
        int bit = switch (key) {
          case "id" -> {
            if (started) {
              p.skipChildren();
              yield 0;
            }
            r.id = text(p, t);
            yield 1;
          }
          case "model" -> {
            if (started) {
              p.skipChildren();
              yield 0;
            }
            r.model = text(p, t);
            yield 2;
          }
          case "usage" -> {
            r.usage = t == JsonToken.VALUE_NULL ? null : usage(p, t);
            yield 4;
          }
          case "choices" -> {
            choices(p, t, r);
            yield 8;
          }
          case "error" -> {
            if (t != JsonToken.VALUE_NULL) {
              throw UNUSUAL;
            }
            yield 16;
          }
          default -> {
            p.skipChildren();
            yield 0;
          }
        };
        seen = once(seen, bit);
      }
      if (p.nextToken() != null) {
        return null;
      }
      return new UsualChatChunk(r.id, r.model, r.usage, r.reasoning != null ? r.reasoning : r.reasoningContent,
          r.content, r.finishReason);
    } catch (IOException | RuntimeException e) {
      // Unusual, not JSON, or counts the canonical usage refuses: the general way says which
      return null;
    }
  }

  /** The values as they are found, before reasoning is chosen from its two names. */
  private static final class Reading {
    String id;
    String model;
    Usage usage;
    String reasoning;
    String reasoningContent;
    String content;
    String finishReason;
  }

  /** Marks a member as read; a member given twice is unusual (the general way keeps the last). */
  private static int once(int seen, int bit) {
    if ((seen & bit) != 0) {
      throw UNUSUAL;
    }
    return seen | bit;
  }

  /** A string or null; {@code getString} would turn any other value into text, which is no usual shape. */
  private static String text(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw UNUSUAL;
    }
    return p.getText();
  }

  /** No choice, or exactly one: the general way reads the first and ignores the rest. */
  private static void choices(JsonParser p, JsonToken t, Reading r) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return;
    }
    if (t != JsonToken.START_ARRAY) {
      throw UNUSUAL;
    }
    JsonToken first = p.nextToken();
    if (first == JsonToken.END_ARRAY) {
      return;
    }
    if (first != JsonToken.START_OBJECT) {
      throw UNUSUAL;
    }
    int seen = 0;
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      JsonToken v = p.nextToken();
      int bit = switch (key) {
        case "delta" -> {
          if (v == JsonToken.START_OBJECT) {
            delta(p, r);
          } else if (v != JsonToken.VALUE_NULL) {
            throw UNUSUAL;
          }
          yield 1;
        }
        case "finish_reason" -> {
          r.finishReason = text(p, v);
          yield 2;
        }
        default -> {
          p.skipChildren();
          yield 0;
        }
      };
      seen = once(seen, bit);
    }
    if (p.nextToken() != JsonToken.END_ARRAY) {
      throw UNUSUAL;
    }
  }

  /** Reasoning and text; tool-call fragments are the general way's (an empty list is nothing). */
  private static void delta(JsonParser p, Reading r) throws IOException {
    int seen = 0;
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      JsonToken v = p.nextToken();
      int bit = switch (key) {
        case "content" -> {
          r.content = text(p, v);
          yield 1;
        }
        case "reasoning" -> {
          r.reasoning = text(p, v);
          yield 2;
        }
        case "reasoning_content" -> {
          r.reasoningContent = text(p, v);
          yield 4;
        }
        case "tool_calls" -> {
          if (v != JsonToken.VALUE_NULL && (v != JsonToken.START_ARRAY || p.nextToken() != JsonToken.END_ARRAY)) {
            throw UNUSUAL;
          }
          yield 8;
        }
        default -> {
          p.skipChildren();
          yield 0;
        }
      };
      seen = once(seen, bit);
    }
  }

  /** As {@link ChatCodec#usage} reads it: a count that is not a number is 0. */
  private static Usage usage(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      throw UNUSUAL;
    }
    long[] counts = new long[4]; // prompt, completion, cached, cache write
    int seen = 0;
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      JsonToken v = p.nextToken();
      int bit = switch (key) {
        case "prompt_tokens" -> {
          counts[0] = count(p, v);
          yield 1;
        }
        case "completion_tokens" -> {
          counts[1] = count(p, v);
          yield 2;
        }
        case "prompt_tokens_details" -> {
          details(p, v, counts);
          yield 4;
        }
        default -> {
          p.skipChildren();
          yield 0;
        }
      };
      seen = once(seen, bit);
    }
    return Usage.fromInclusive(counts[0], counts[2], counts[3], counts[1]);
  }

  /** The cached counts of {@code prompt_tokens_details}, which may be null. */
  private static void details(JsonParser p, JsonToken t, long[] counts) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return;
    }
    if (t != JsonToken.START_OBJECT) {
      throw UNUSUAL;
    }
    int seen = 0;
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      JsonToken v = p.nextToken();
      int bit = switch (key) {
        case "cached_tokens" -> {
          counts[2] = count(p, v);
          yield 1;
        }
        case "cache_write_tokens" -> {
          counts[3] = count(p, v);
          yield 2;
        }
        default -> {
          p.skipChildren();
          yield 0;
        }
      };
      seen = once(seen, bit);
    }
  }

  /** As {@link ChatCodec#longOf} reads a count: the number Jackson reads, else 0. */
  private static long count(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getNumberValue().longValue();
    }
    p.skipChildren();
    return 0;
  }
}
