package dev.junction.provider;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonTokenId;
import dev.junction.provider.wire.BufferBytes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JSON object as it arrived: the parsed {@link JsonObject} (the same maps and lists Vert.x's own
 * decoder builds), and where in the bytes each top-level member is, so that a copy with a few
 * top-level members set or removed is the original bytes cut and joined, not the whole document
 * encoded again. One pass of Jackson's byte parser does both.
 */
public final class JsonMembers {
  private static final JsonFactory FACTORY = DatabindCodec.mapper().getFactory();

  private final JsonObject json;
  private final Buffer bytes;
  /** Per member: name start, value start, value end; null when a key is repeated (edit the object instead). */
  private final Map<String, int[]> members;

  private JsonMembers(JsonObject json, Buffer bytes, Map<String, int[]> members) {
    this.json = json;
    this.bytes = bytes;
    this.members = members;
  }

  /**
   * Parses {@code bytes}.
   *
   * @return null when the bytes are one JSON value that is not an object (the caller says which)
   * @throws DecodeException when they are not one JSON value
   */
  public static JsonMembers parse(Buffer bytes) {
    try (JsonParser parser = parser(bytes)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new DecodeException("no content");
      }
      Object value;
      Map<String, int[]> members = null;
      if (first == JsonToken.START_OBJECT) {
        members = new HashMap<>();
        Map<String, Object> map = new LinkedHashMap<>();
        boolean repeated = false;
        for (String key = parser.nextFieldName(); key != null; key = parser.nextFieldName()) {
          // byte offsets count from the start given to the parser
          int nameStart = (int) parser.currentTokenLocation().getByteOffset();
          parser.nextToken();
          int valueStart = (int) parser.currentTokenLocation().getByteOffset();
          map.put(key, value(parser));
          int valueEnd = (int) parser.currentLocation().getByteOffset();
          repeated |= members.put(key, new int[] {nameStart, valueStart, valueEnd}) != null;
        }
        value = map;
        members = repeated ? null : members;
      } else {
        value = value(parser);
      }
      if (parser.nextToken() != null) {
        throw new DecodeException("Unexpected trailing token");
      }
      return value instanceof Map<?, ?> ? new JsonMembers(new JsonObject(cast(value)), bytes, members) : null;
    } catch (IOException e) {
      throw new DecodeException(e.getMessage(), e);
    }
  }

  /**
   * Just the object, as {@code Json.decodeValue} reads it but from the bytes themselves (Vert.x's
   * decoder reads through an InputStream and costs about twice as much).
   *
   * @return null when the bytes are one JSON value that is not an object
   * @throws DecodeException when they are not one JSON value
   */
  public static JsonObject object(Buffer bytes) {
    try (JsonParser parser = parser(bytes)) {
      if (parser.nextToken() == null) {
        throw new DecodeException("no content");
      }
      Object value = value(parser);
      if (parser.nextToken() != null) {
        throw new DecodeException("Unexpected trailing token");
      }
      return value instanceof Map<?, ?> ? new JsonObject(cast(value)) : null;
    } catch (IOException e) {
      throw new DecodeException(e.getMessage(), e);
    }
  }

  /** A parser over the bytes themselves (no copy when they are on the heap), for readers of their own. */
  public static JsonParser parser(Buffer bytes) throws IOException {
    BufferBytes in = BufferBytes.of(bytes);
    return FACTORY.createParser(in.array(), in.offset(), bytes.length());
  }

  /** A parser over a text (an event's data as an SSE decoder split it). */
  public static JsonParser parser(String text) throws IOException {
    return FACTORY.createParser(text);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object value) {
    return (Map<String, Object>) value;
  }

  /**
   * The value the parser stands on, completely read into the maps and lists Vert.x's {@code JsonObject}
   * and {@code JsonArray} wrap (the parser then stands on its last token).
   */
  public static Object readValue(JsonParser parser) throws IOException {
    return value(parser);
  }

  /** The current value, completely read (the parser then stands just after it). */
  private static Object value(JsonParser parser) throws IOException {
    switch (parser.currentTokenId()) {
      case JsonTokenId.ID_START_OBJECT: {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String key = parser.nextFieldName(); key != null; key = parser.nextFieldName()) {
          parser.nextToken();
          map.put(key, value(parser));
        }
        return map;
      }
      case JsonTokenId.ID_START_ARRAY: {
        List<Object> list = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          list.add(value(parser));
        }
        return list;
      }
      case JsonTokenId.ID_STRING:
        return parser.getText();
      case JsonTokenId.ID_NUMBER_INT:
      case JsonTokenId.ID_NUMBER_FLOAT:
        return parser.getNumberValue();
      case JsonTokenId.ID_TRUE:
        return Boolean.TRUE;
      case JsonTokenId.ID_FALSE:
        return Boolean.FALSE;
      case JsonTokenId.ID_NULL:
        return null;
      default:
        throw new DecodeException("Unexpected token " + parser.currentToken());
    }
  }

  /** The parsed object; callers must not change it. */
  public JsonObject json() {
    return json;
  }

  /**
   * The object with top-level members set (their new values as JSON text) and removed, as bytes:
   * the members kept are copied as they came, so nothing else is encoded again.
   *
   * @param set members to set, value as JSON; a member that is not there is added at the end
   */
  public Buffer with(Map<String, Buffer> set, Set<String> remove) {
    if (members == null) {
      // a repeated key: only the parsed object (last one wins) says what the body means
      JsonObject copy = new JsonObject(new LinkedHashMap<>(json.getMap()));
      remove.forEach(copy::remove);
      set.forEach((k, v) -> copy.put(k, Json.value(v)));
      return copy.toBuffer();
    }
    Buffer out = Buffer.buffer(bytes.length() + 64);
    out.appendByte((byte) '{');
    boolean first = true;
    for (String key : json.fieldNames()) {
      if (remove.contains(key)) {
        continue;
      }
      int[] m = members.get(key);
      if (!first) {
        out.appendByte((byte) ',');
      }
      first = false;
      Buffer value = set.get(key);
      if (value == null) {
        out.appendBuffer(bytes, m[0], m[2] - m[0]);
      } else {
        out.appendBuffer(bytes, m[0], m[1] - m[0]).appendBuffer(value);
      }
    }
    for (Map.Entry<String, Buffer> e : set.entrySet()) {
      if (!members.containsKey(e.getKey())) {
        if (!first) {
          out.appendByte((byte) ',');
        }
        first = false;
        out.appendBuffer(Json.of(e.getKey())).appendByte((byte) ':').appendBuffer(e.getValue());
      }
    }
    return out.appendByte((byte) '}');
  }

  /** Values as JSON text, for {@link #with}. */
  public static final class Json {
    private Json() {
    }

    public static Buffer of(Object value) {
      if (value instanceof String text && plain(text)) {
        return Buffer.buffer(text.length() + 2).appendByte((byte) '"').appendString(text).appendByte((byte) '"');
      }
      String encoded = new JsonArray().add(value).encode();
      return Buffer.buffer(encoded.substring(1, encoded.length() - 1));
    }

    /** Printable ASCII with nothing to escape, as model ids are. */
    private static boolean plain(String text) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
          return false;
        }
      }
      return true;
    }

    static Object value(Buffer json) {
      return new JsonArray(Buffer.buffer("[").appendBuffer(json).appendString("]")).getValue(0);
    }
  }
}
