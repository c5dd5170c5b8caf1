package dev.junction.provider.anthropic;

import dev.junction.provider.CanonicalJson;
import dev.junction.provider.FailureClass;
import dev.junction.provider.ProviderException;
import dev.junction.provider.StopReason;
import dev.junction.provider.StreamEvent;
import dev.junction.provider.Usage;
import dev.junction.provider.wire.SseDecoder;
import dev.junction.provider.wire.SseEvent;
import dev.junction.provider.wire.StreamDecoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
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

  private void event(SseEvent sse) {
    if (finished) {
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
