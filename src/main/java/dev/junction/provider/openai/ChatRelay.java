package dev.junction.provider.openai;

import dev.junction.provider.StreamEvent;
import dev.junction.provider.wire.SseRelay;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * What {@link SseRelay} decodes of a Chat Completions stream relayed to a Chat caller, through
 * {@link ChatStreamDecoder}: {@code [DONE]}, and every chunk with a tool call, a finish reason,
 * usage or an error (found by its key, with a value other than null), plus content chunks while the
 * reply has shown no text yet. The usage chunk ({@code choices:[]}) that the gateway asked for on
 * the caller's behalf is dropped unless the caller asked for it too.
 */
final class ChatRelay implements SseRelay.Protocol {
  private final ChatStreamDecoder decoder = new ChatStreamDecoder();
  private final boolean callerWantsUsage;

  /** @param callerWantsUsage the caller set {@code stream_options.include_usage} */
  ChatRelay(boolean callerWantsUsage) {
    this.callerWantsUsage = callerWantsUsage;
  }

  @Override
  public boolean mustDecode(SseRelay.Frame frame, boolean deltasWanted) {
    return deltasWanted || frame.dataIs("[DONE]") || frame.dataHas("tool_calls") || frame.dataHas("finish_reason")
        || frame.dataHas("usage") || frame.dataHas("error");
  }

  @Override
  public Buffer decode(SseRelay.Frame frame, Consumer<StreamEvent> out) {
    boolean done = frame.dataIs("[DONE]");
    JsonObject chunk = done ? null : frame.json();
    decoder.event(done, chunk, () -> frame.sse().data(), out);
    if (!callerWantsUsage && chunk != null && chunk.getValue("usage") instanceof JsonObject
        && chunk.getValue("choices") instanceof JsonArray choices && choices.isEmpty()) {
      return SseRelay.DROP;
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
