package dev.junction.api;

import dev.junction.provider.CanonicalJson;
import dev.junction.provider.ProviderException;
import dev.junction.provider.StreamEvent;
import dev.junction.provider.openai.ChatChunkEncoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * How canonical stream events are framed for one caller protocol. Anthropic callers get
 * {@code event:}/{@code data:} frames; Chat callers get {@code data:} chunks and a closing
 * {@code [DONE]}. A failure after the head has gone is a frame too, never a silent close.
 */
interface SseFrames {

  /** Writes the frames for one event; {@link StreamEvent.Error} is handled by {@link #failure}. */
  void event(StreamEvent event, Consumer<Buffer> out);

  /** The frame that tells the caller the stream failed. */
  Buffer failure(ProviderException failure);

  static SseFrames anthropic() {
    return new SseFrames() {
      @Override
      public void event(StreamEvent event, Consumer<Buffer> out) {
        out.accept(frame(CanonicalJson.eventName(event), CanonicalJson.encodeEvent(event)));
      }

      @Override
      public Buffer failure(ProviderException failure) {
        return frame("error", CanonicalJson.encodeEvent(new StreamEvent.Error(failure)));
      }
    };
  }

  static SseFrames chat(ChatChunkEncoder encoder) {
    return new SseFrames() {
      @Override
      public void event(StreamEvent event, Consumer<Buffer> out) {
        encoder.encodeBytes(event, chunk -> out.accept(data(chunk)));
        if (event instanceof StreamEvent.MessageStop) {
          out.accept(Buffer.buffer("data: [DONE]\n\n"));
        }
      }

      @Override
      public Buffer failure(ProviderException failure) {
        return data(ChatChunkEncoder.error(failure).toBuffer());
      }
    };
  }

  private static Buffer frame(String name, JsonObject data) {
    Buffer json = data.toBuffer();
    return Buffer.buffer(json.length() + name.length() + 18).appendString("event: ").appendString(name)
        .appendString("\ndata: ").appendBuffer(json).appendString("\n\n");
  }

  private static Buffer data(Buffer json) {
    return Buffer.buffer(json.length() + 8).appendString("data: ").appendBuffer(json).appendString("\n\n");
  }
}
