package dev.junction.api;

import dev.junction.provider.CanonicalJson;
import dev.junction.provider.ProviderException;
import dev.junction.provider.StreamEvent;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.junction.provider.openai.ChatChunkEncoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
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
        Buffer frame = AnthropicFrames.usual(event);
        out.accept(frame != null ? frame : frame(CanonicalJson.eventName(event), CanonicalJson.encodeEvent(event)));
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

  /**
   * The frames a translated stream writes most, a content delta per token or so, written straight as
   * bytes: the same bytes as {@link CanonicalJson#encodeEvent} encoded (member order, Jackson's
   * string escaping), without building and encoding a map tree for each.
   */
  final class AnthropicFrames {
    private static final byte[] DELTA_HEAD = ascii("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":");
    private static final byte[] TEXT = ascii(",\"delta\":{\"type\":\"text_delta\",\"text\":\"");
    private static final byte[] PARTIAL_JSON = ascii(",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"");
    private static final byte[] DELTA_END = ascii("\"}}\n\n");
    private static final byte[] STOP_HEAD = ascii("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":");
    private static final byte[] STOP_END = ascii("}\n\n");

    private AnthropicFrames() {
    }

    /** @return the frame, or null for an event written the general way */
    static Buffer usual(StreamEvent event) {
      if (event instanceof StreamEvent.TextDelta delta && delta.text() != null) {
        return delta(delta.index(), TEXT, delta.text());
      } else if (event instanceof StreamEvent.InputJsonDelta delta && delta.partialJson() != null) {
        return delta(delta.index(), PARTIAL_JSON, delta.partialJson());
      } else if (event instanceof StreamEvent.BlockStop stop) {
        byte[] index = ascii(Integer.toString(stop.index()));
        return Buffer.buffer(STOP_HEAD.length + index.length + STOP_END.length)
            .appendBytes(STOP_HEAD).appendBytes(index).appendBytes(STOP_END);
      }
      return null;
    }

    private static Buffer delta(int index, byte[] kind, String value) {
      byte[] number = ascii(Integer.toString(index));
      byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(value);
      return Buffer.buffer(DELTA_HEAD.length + number.length + kind.length + quoted.length + DELTA_END.length)
          .appendBytes(DELTA_HEAD).appendBytes(number).appendBytes(kind).appendBytes(quoted).appendBytes(DELTA_END);
    }

    private static byte[] ascii(String s) {
      return s.getBytes(StandardCharsets.US_ASCII);
    }
  }
}
