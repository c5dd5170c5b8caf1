package dev.junction.provider.anthropic;

import dev.junction.provider.StreamEvent;
import dev.junction.provider.wire.SseRelay;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * What {@link SseRelay} decodes of an Anthropic stream relayed to an Anthropic caller: every event
 * but pings and the content deltas the gateway does not need (by its {@code event:} name, which
 * Anthropic always sends), through {@link AnthropicStreamDecoder}. A {@code message_start} that
 * names no model is given the target's, so a caller always learns what answered.
 */
final class AnthropicRelay implements SseRelay.Protocol {
  private final AnthropicStreamDecoder decoder = new AnthropicStreamDecoder();
  private final String model;

  /** @param model the target's model id */
  AnthropicRelay(String model) {
    this.model = model;
  }

  @Override
  public boolean mustDecode(SseRelay.Frame frame, boolean deltasWanted) {
    if (frame.event("content_block_delta")) {
      return deltasWanted;
    }
    return !frame.event("ping");
  }

  @Override
  public Buffer decode(SseRelay.Frame frame, Consumer<StreamEvent> out) {
    Buffer bytes = frame.data();
    if (bytes != null && decoder.usual(bytes, out)) {
      return null;
    }
    JsonObject data = frame.json();
    decoder.event(frame.eventName(), data, () -> frame.sse().data(), out);
    if (data != null && "message_start".equals(data.getString("type"))
        && data.getValue("message") instanceof JsonObject message && message.getValue("model") == null) {
      message.put("model", model);
      Buffer json = data.toBuffer();
      return Buffer.buffer(json.length() + 40).appendString("event: message_start\ndata: ").appendBuffer(json)
          .appendString("\n\n");
    }
    return null;
  }

  @Override
  public void end(Consumer<StreamEvent> out) {
    decoder.end(out);
  }

  @Override
  public boolean finished() {
    return decoder.finished();
  }
}
