package dev.junction.provider.anthropic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.junction.provider.CanonicalJson;
import dev.junction.provider.ContentBlock;
import dev.junction.provider.FailureClass;
import dev.junction.provider.JsonMembers;
import dev.junction.provider.ProviderException;
import dev.junction.provider.StopReason;
import dev.junction.provider.StreamEvent;
import dev.junction.provider.Usage;
import dev.junction.provider.wire.SseDecoder;
import dev.junction.provider.wire.SseEvent;
import dev.junction.provider.wire.StreamDecoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Anthropic's stream is already canonical, so this is a pass-through that parses each event,
 * skips pings and block types the canonical form does not model (server-tool blocks), keeps usage
 * cumulative (a {@code message_delta} may carry only {@code output_tokens}) and turns
 * {@code event: error} and a stream cut before {@code message_stop} into an error event.
 */
public final class AnthropicStreamDecoder implements StreamDecoder {
  private final SseDecoder sse = new SseDecoder();
  private final Set<Integer> skipped = new HashSet<>();
  private Consumer<StreamEvent> out;
  private final Consumer<SseEvent> onEvent = this::event;
  private Usage usage = Usage.ZERO;
  private boolean finished;

  @Override
  public void feed(Buffer chunk, Consumer<StreamEvent> sink) {
    if (finished) {
      return;
    }
    out = sink;
    sse.feed(chunk, onEvent);
  }

  @Override
  public void end(Consumer<StreamEvent> sink) {
    out = sink;
    sse.end(onEvent);
    if (!finished) {
      fail(ProviderException.of(FailureClass.NETWORK, "Anthropic stream ended before message_stop"));
    }
  }

  @Override
  public boolean finished() {
    return finished;
  }

  /**
   * One event for a relay that splits and parses the stream itself ({@link AnthropicRelay}).
   *
   * @param data its parsed data, or null when the data is not a JSON object ({@code text} then says
   *     what it was)
   */
  void event(String eventName, JsonObject data, Supplier<String> text, Consumer<StreamEvent> sink) {
    if (finished) {
      return;
    }
    out = sink;
    if (data == null) {
      fail(ProviderException.of(FailureClass.MALFORMED, "Anthropic stream event is not JSON: " + text.get()));
      return;
    }
    event(eventName, data);
  }

  /**
   * One event for a relay, if it is of the usual kinds (the message's start, delta or stop, a text or
   * tool call block's start, a content delta, a block's stop, a ping) and shapes, read in one pass of the parser without the map tree
   * that {@link #event(String, JsonObject, Supplier, Consumer)} reads from: a relayed stream decodes
   * most of its events, and these are most of those.
   *
   * @param data the event's data, one JSON object
   * @return false when it is of another kind or shape (the type not its first member, a member
   *     given twice, a value of an unexpected type): nothing was done, and the caller decodes it the
   *     general way, which then gives the same events or the same error
   */
  boolean usual(Buffer data, Consumer<StreamEvent> sink) {
    if (finished) {
      return true;
    }
    StreamEvent read;
    try (JsonParser p = JsonMembers.parser(data)) {
      read = readUsual(p);
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return accept(read, sink);
  }

  /** {@link #usual(Buffer, Consumer)} for an event this decoder split itself (a translated stream). */
  private boolean usual(String data) {
    StreamEvent read;
    try (JsonParser p = JsonMembers.parser(data)) {
      read = readUsual(p);
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return accept(read, out);
  }

  /** Delivers an event read in one pass, as the general way would; false for none (null). */
  private boolean accept(StreamEvent read, Consumer<StreamEvent> sink) {
    if (read == null) {
      return false;
    }
    out = sink;
    if (read == PING) {
      return true;
    }
    int index = read instanceof StreamEvent.TextDelta d ? d.index()
        : read instanceof StreamEvent.InputJsonDelta d ? d.index()
        : read instanceof StreamEvent.ThinkingDelta d ? d.index()
        : read instanceof StreamEvent.SignatureDelta d ? d.index()
        : read instanceof StreamEvent.BlockStop b ? b.index() : -1;
    if (index >= 0 && skipped.contains(index)) {
      return true;
    }
    if (read instanceof StreamEvent.MessageStart start) {
      usage = start.usage();
    } else if (read instanceof StreamEvent.MessageDelta delta) {
      usage = delta.usage();
    } else if (read instanceof StreamEvent.MessageStop) {
      finished = true;
    }
    out.accept(read);
    return true;
  }

  /** Stands for a ping in {@link #readUsual}: an event to drop. */
  private static final StreamEvent PING = new StreamEvent.MessageStop();

  /** The event, or null when it is not of a usual kind and shape; reads the whole input. */
  private StreamEvent readUsual(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT || !"type".equals(p.nextFieldName())
        || p.nextToken() != JsonToken.VALUE_STRING) {
      return null;
    }
    StreamEvent read = switch (p.getText()) {
      case "message_start" -> messageStart(p);
      case "content_block_start" -> blockStart(p);
      case "content_block_delta" -> blockDelta(p);
      case "content_block_stop" -> blockStop(p);
      case "message_delta" -> messageDelta(p);
      case "message_stop" -> rest(p) ? new StreamEvent.MessageStop() : null;
      case "ping" -> rest(p) ? PING : null;
      default -> null;
    };
    return read != null && p.nextToken() == null ? read : null;
  }

  /** A {@code message_start} that names its model (one that does not is the relay's to fill in). */
  private static StreamEvent messageStart(JsonParser p) throws IOException {
    StreamEvent read = null;
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      JsonToken t = p.nextToken();
      if (key.equals("message")) {
        if (read != null || t != JsonToken.START_OBJECT || (read = message(p)) == null) {
          return null;
        }
      } else if (key.equals("type")) {
        return null;
      } else {
        p.skipChildren();
      }
    }
    return read;
  }

  private static StreamEvent message(JsonParser p) throws IOException {
    String id = null;
    String model = null;
    Usage usage = Usage.ZERO;
    int seen = 0;
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      JsonToken t = p.nextToken();
      int bit = key.equals("id") ? 1 : key.equals("model") ? 2 : key.equals("usage") ? 4 : 0;
      if (bit == 0) {
        p.skipChildren();
        continue;
      }
      if ((seen & bit) != 0) {
        return null;
      }
      seen |= bit;
      if (bit == 4) {
        if (t != JsonToken.START_OBJECT || (usage = AnthropicReplyReader.usage(p, Usage.ZERO)) == null) {
          return null;
        }
      } else if (t != JsonToken.VALUE_STRING) {
        return null;
      } else if (bit == 1) {
        id = p.getText();
      } else {
        model = p.getText();
      }
    }
    return model == null ? null : new StreamEvent.MessageStart(id, model, usage);
  }

  /** A {@code content_block_start} of a text block or a tool call (whose input comes as deltas). */
  private static StreamEvent blockStart(JsonParser p) throws IOException {
    int index = -1;
    ContentBlock block = null;
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      JsonToken t = p.nextToken();
      if (key.equals("index")) {
        if (index >= 0 || t != JsonToken.VALUE_NUMBER_INT || (index = p.getIntValue()) < 0) {
          return null;
        }
      } else if (key.equals("content_block")) {
        if (block != null || t != JsonToken.START_OBJECT || (block = startedBlock(p)) == null) {
          return null;
        }
      } else if (key.equals("type")) {
        return null;
      } else {
        p.skipChildren();
      }
    }
    return index < 0 || block == null ? null : new StreamEvent.BlockStart(index, block);
  }

  /** Text (no cache marker) or a tool call with an empty input; anything else is the general way's. */
  private static ContentBlock startedBlock(JsonParser p) throws IOException {
    if (!"type".equals(p.nextFieldName()) || p.nextToken() != JsonToken.VALUE_STRING) {
      return null;
    }
    boolean text = p.getText().equals("text");
    if (!text && !p.getText().equals("tool_use")) {
      return null;
    }
    String value = null;
    String id = null;
    String name = null;
    boolean input = false;
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      JsonToken t = p.nextToken();
      int which = text ? (key.equals("text") ? 1 : 0)
          : key.equals("id") ? 2 : key.equals("name") ? 3 : key.equals("input") ? 4 : 0;
      if (which == 0) {
        if (key.equals("type") || key.equals("cache_control")) {
          return null;
        }
        p.skipChildren();
      } else if (which == 4) {
        if (input || t != JsonToken.START_OBJECT || p.nextToken() != JsonToken.END_OBJECT) {
          return null;
        }
        input = true;
      } else if (t != JsonToken.VALUE_STRING || (which == 1 ? value : which == 2 ? id : name) != null) {
        return null;
      } else if (which == 1) {
        value = p.getText();
      } else if (which == 2) {
        id = p.getText();
      } else {
        name = p.getText();
      }
    }
    if (text) {
      return new ContentBlock.Text(value == null ? "" : value, null);
    }
    return id == null || name == null ? null : new ContentBlock.ToolUse(id, name, new JsonObject());
  }

  /** Skips the object's other members; false when one is a second {@code type}. */
  private static boolean rest(JsonParser p) throws IOException {
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      p.nextToken();
      if (key.equals("type")) {
        return false;
      }
      p.skipChildren();
    }
    return true;
  }

  private static StreamEvent blockDelta(JsonParser p) throws IOException {
    int index = -1;
    String kind = null;
    String value = null;
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      JsonToken t = p.nextToken();
      if (key.equals("index")) {
        if (index >= 0 || t != JsonToken.VALUE_NUMBER_INT || (index = p.getIntValue()) < 0) {
          return null;
        }
      } else if (key.equals("delta")) {
        if (kind != null || t != JsonToken.START_OBJECT || !"type".equals(p.nextFieldName())
            || p.nextToken() != JsonToken.VALUE_STRING) {
          return null;
        }
        kind = p.getText();
        String field = switch (kind) {
          case "text_delta" -> "text";
          case "input_json_delta" -> "partial_json";
          case "thinking_delta" -> "thinking";
          case "signature_delta" -> "signature";
          default -> null; // citations and newer kinds: the general way
        };
        if (field == null) {
          return null;
        }
        for (String k = p.nextFieldName(); k != null; k = p.nextFieldName()) {
          JsonToken v = p.nextToken();
          if (k.equals(field)) {
            if (value != null || v != JsonToken.VALUE_STRING) {
              return null;
            }
            value = p.getText();
          } else if (k.equals("type")) {
            return null;
          } else {
            p.skipChildren();
          }
        }
      } else if (key.equals("type")) {
        return null;
      } else {
        p.skipChildren();
      }
    }
    if (index < 0 || kind == null) {
      return null;
    }
    String text = value == null ? "" : value;
    return switch (kind) {
      case "text_delta" -> new StreamEvent.TextDelta(index, text);
      case "input_json_delta" -> new StreamEvent.InputJsonDelta(index, text);
      case "thinking_delta" -> new StreamEvent.ThinkingDelta(index, text);
      default -> new StreamEvent.SignatureDelta(index, text);
    };
  }

  private static StreamEvent blockStop(JsonParser p) throws IOException {
    int index = -1;
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      JsonToken t = p.nextToken();
      if (key.equals("index")) {
        if (index >= 0 || t != JsonToken.VALUE_NUMBER_INT || (index = p.getIntValue()) < 0) {
          return null;
        }
      } else if (key.equals("type")) {
        return null;
      } else {
        p.skipChildren();
      }
    }
    return index < 0 ? null : new StreamEvent.BlockStop(index);
  }

  /** A {@code message_delta}, its usage read over the stream's usage so far as {@code decodeUsage} reads it. */
  private StreamEvent messageDelta(JsonParser p) throws IOException {
    String stopReason = null;
    String stopSequence = null;
    Usage next = usage;
    int seen = 0;
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      JsonToken t = p.nextToken();
      int bit = key.equals("delta") ? 1 : key.equals("usage") ? 2 : key.equals("type") ? 4 : 0;
      if ((seen & bit) != 0 || bit == 4) {
        return null;
      }
      seen |= bit;
      if (bit == 1) {
        if (t != JsonToken.START_OBJECT) {
          return null;
        }
        int stops = 0;
        for (String k = p.nextFieldName(); k != null; k = p.nextFieldName()) {
          JsonToken v = p.nextToken();
          int which = k.equals("stop_reason") ? 1 : k.equals("stop_sequence") ? 2 : 0;
          if (which == 0) {
            p.skipChildren();
            continue;
          }
          if ((stops & which) != 0 || (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NULL)) {
            return null;
          }
          stops |= which;
          String text = v == JsonToken.VALUE_NULL ? null : p.getText();
          if (which == 1) {
            stopReason = text;
          } else {
            stopSequence = text;
          }
        }
      } else if (bit == 2) {
        if (t == JsonToken.VALUE_NULL) {
          continue;
        }
        if (t != JsonToken.START_OBJECT) {
          return null;
        }
        next = AnthropicReplyReader.usage(p, usage);
        if (next == null) {
          return null;
        }
      } else {
        p.skipChildren();
      }
    }
    return new StreamEvent.MessageDelta(StopReason.fromWire(stopReason), stopSequence, next);
  }

  private void event(SseEvent sse) {
    if (finished || usual(sse.data())) {
      return;
    }
    JsonObject data;
    try {
      data = new JsonObject(sse.data());
    } catch (RuntimeException e) {
      fail(ProviderException.of(FailureClass.MALFORMED, "Anthropic stream event is not JSON: " + sse.data(), e));
      return;
    }
    event(sse.event(), data);
  }

  private void event(String eventName, JsonObject data) {
    String type = data.getString("type", eventName == null ? "" : eventName);
    try {
      dispatch(type, data);
    } catch (ProviderException e) {
      fail(e);
    } catch (RuntimeException e) {
      fail(ProviderException.of(FailureClass.MALFORMED, "Anthropic stream event '" + type + "' is invalid: " + e, e));
    }
  }

  private void dispatch(String type, JsonObject data) {
    switch (type) {
      case "message_start" -> {
        JsonObject message = data.getJsonObject("message", new JsonObject());
        usage = CanonicalJson.decodeUsage(message.getJsonObject("usage"), Usage.ZERO);
        out.accept(new StreamEvent.MessageStart(message.getString("id"), message.getString("model"), usage));
      }
      case "content_block_start" -> {
        int index = data.getInteger("index");
        JsonObject block = data.getJsonObject("content_block", new JsonObject());
        if (!CanonicalJson.isKnownBlock(block.getString("type"))) {
          skipped.add(index);
          return;
        }
        // a tool_use start carries {} by convention and its input arrives as deltas; a proxy that
        // puts the whole input in the start and sends no deltas is kept as is (the accumulator
        // uses deltas when there are any)
        out.accept(new StreamEvent.BlockStart(index, CanonicalJson.decodeBlock(block)));
      }
      case "content_block_delta" -> {
        int index = data.getInteger("index");
        if (skipped.contains(index)) {
          return;
        }
        JsonObject delta = data.getJsonObject("delta", new JsonObject());
        switch (delta.getString("type", "")) {
          case "text_delta" -> out.accept(new StreamEvent.TextDelta(index, delta.getString("text", "")));
          case "input_json_delta" ->
              out.accept(new StreamEvent.InputJsonDelta(index, delta.getString("partial_json", "")));
          case "thinking_delta" -> out.accept(new StreamEvent.ThinkingDelta(index, delta.getString("thinking", "")));
          case "signature_delta" -> out.accept(new StreamEvent.SignatureDelta(index, delta.getString("signature", "")));
          default -> {
            // citations_delta and future delta kinds carry nothing the canonical form keeps
          }
        }
      }
      case "content_block_stop" -> {
        int index = data.getInteger("index");
        if (!skipped.contains(index)) {
          out.accept(new StreamEvent.BlockStop(index));
        }
      }
      case "message_delta" -> {
        JsonObject delta = data.getJsonObject("delta", new JsonObject());
        usage = CanonicalJson.decodeUsage(data.getJsonObject("usage"), usage);
        out.accept(new StreamEvent.MessageDelta(StopReason.fromWire(delta.getString("stop_reason")),
            delta.getString("stop_sequence"), usage));
      }
      case "message_stop" -> {
        finished = true;
        out.accept(new StreamEvent.MessageStop());
      }
      case "error" -> fail(AnthropicErrors.classifyEvent(data));
      default -> {
        // ping and event types newer than this adapter
      }
    }
  }

  private void fail(ProviderException failure) {
    if (!finished) {
      finished = true;
      out.accept(new StreamEvent.Error(failure));
    }
  }
}
