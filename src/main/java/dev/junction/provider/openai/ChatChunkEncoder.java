package dev.junction.provider.openai;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.junction.provider.ContentBlock;
import dev.junction.provider.ProviderException;
import dev.junction.provider.StopReason;
import dev.junction.provider.StreamEvent;
import dev.junction.provider.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The canonical stream as Chat Completions chunks, for a client that asked a Chat endpoint to
 * stream. Tool calls are numbered in order of appearance ({@code tool_calls[].index}); the first
 * chunk of a call carries its id and name, later ones its argument fragments, exactly as OpenAI
 * streams them. The finish reason goes out with the message delta; the usage chunk
 * ({@code choices:[]}) only when the client set {@code stream_options.include_usage}. Each chunk is
 * handed out as the JSON of one {@code data:} line; the caller writes {@code [DONE]} after
 * {@link StreamEvent.MessageStop}. Not thread-safe: one per stream.
 */
public final class ChatChunkEncoder {
  private static final byte[] TEXT_DELTA = ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
      .getBytes(StandardCharsets.UTF_8);
  private static final byte[] TEXT_DELTA_END = "\"},\"logprobs\":null,\"finish_reason\":null}]}"
      .getBytes(StandardCharsets.UTF_8);
  private String model;
  /** The envelope's JSON without its closing brace, once the stream's id and model are known. */
  private byte[] head;
  private final long created;
  private final boolean includeUsage;
  private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>(4);
  private final Map<Integer, String> pendingInput = new HashMap<>(4);
  private String id;
  private StopReason stopReason;
  private Usage usage = Usage.ZERO;

  /** @param model reported when the upstream did not name its model */
  public ChatChunkEncoder(String model, long createdEpochSeconds, boolean includeUsage) {
    this.model = model;
    this.created = createdEpochSeconds;
    this.includeUsage = includeUsage;
  }

  /** Hands {@code out} zero or more chunks for one canonical event. */
  public void encode(StreamEvent event, Consumer<JsonObject> out) {
    if (event instanceof StreamEvent.TextDelta delta) {
      out.accept(chunk(new JsonObject().put("content", delta.text()), null));
    } else if (event instanceof StreamEvent.InputJsonDelta delta) {
      Integer call = toolIndexByBlock.get(delta.index());
      if (call != null && !delta.partialJson().isEmpty()) {
        pendingInput.remove(delta.index());
        out.accept(arguments(call, delta.partialJson()));
      }
    } else if (event instanceof StreamEvent.ThinkingDelta delta) {
      out.accept(chunk(new JsonObject().put("reasoning_content", delta.thinking()), null));
    } else if (event instanceof StreamEvent.BlockStart start && start.block() instanceof ContentBlock.ToolUse use) {
      int call = toolIndexByBlock.size();
      toolIndexByBlock.put(start.index(), call);
      if (!use.input().isEmpty()) {
        // a lenient upstream put the whole input in the start; it is sent unless deltas follow
        pendingInput.put(start.index(), use.input().encode());
      }
      JsonObject header = ChatReplyEncoder.toolCall(use.id(), use.name()).put("index", call)
          .put("function", new JsonObject().put("name", use.name()).put("arguments", ""));
      out.accept(chunk(new JsonObject().put("tool_calls", new JsonArray().add(header)), null));
    } else if (event instanceof StreamEvent.BlockStop stop) {
      String whole = pendingInput.remove(stop.index());
      if (whole != null) {
        out.accept(arguments(toolIndexByBlock.get(stop.index()), whole));
      }
    } else if (event instanceof StreamEvent.MessageStart start) {
      id = ChatReplyEncoder.completionId(start.id());
      head = null;
      if (start.model() != null) {
        model = start.model();
      }
      out.accept(chunk(new JsonObject().put("role", "assistant").put("content", ""), null));
    } else if (event instanceof StreamEvent.MessageDelta delta) {
      stopReason = delta.stopReason();
      if (delta.usage() != null) {
        usage = delta.usage();
      }
    } else if (event instanceof StreamEvent.MessageStop) {
      // the finish chunk waits for the stop: a message_delta may be followed by a later one
      StopReason reason = toolIndexByBlock.isEmpty() || stopReason != null ? stopReason : StopReason.TOOL_USE;
      out.accept(chunk(new JsonObject(), ChatReplyEncoder.finishReason(reason)));
      if (includeUsage) {
        out.accept(envelope().put("choices", new JsonArray()).put("usage", ChatReplyEncoder.usage(usage)));
      }
    } else if (event instanceof StreamEvent.Error error) {
      out.accept(error(error.failure()));
    }
  }

  /**
   * {@link #encode} with each chunk as its JSON bytes. A text delta, most of a stream's chunks, is
   * written from the envelope's bytes kept for the stream and the text's escaped bytes: the same bytes
   * as the tree {@link #encode} gives, without building and encoding the tree for each.
   */
  public void encodeBytes(StreamEvent event, Consumer<Buffer> out) {
    if (event instanceof StreamEvent.TextDelta delta && id != null) {
      if (head == null) {
        Buffer envelope = envelope().toBuffer();
        head = envelope.getBytes(0, envelope.length() - 1);
      }
      byte[] text = JsonStringEncoder.getInstance().quoteAsUTF8(delta.text());
      out.accept(Buffer.buffer(head.length + TEXT_DELTA.length + text.length + TEXT_DELTA_END.length)
          .appendBytes(head).appendBytes(TEXT_DELTA).appendBytes(text).appendBytes(TEXT_DELTA_END));
      return;
    }
    encode(event, chunk -> out.accept(chunk.toBuffer()));
  }

  /** The OpenAI mid-stream error chunk: a top-level {@code error} object, which the SDKs raise on. */
  public static JsonObject error(ProviderException failure) {
    return new JsonObject().put("error", new JsonObject().put("message", failure.getMessage())
        .put("type", OpenAiErrorShape.type(failure.failureClass())).put("param", null)
        .put("code", OpenAiErrorShape.code(failure.failureClass())));
  }

  private JsonObject arguments(int call, String fragment) {
    JsonObject delta = new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject().put("index", call)
        .put("function", new JsonObject().put("arguments", fragment))));
    return chunk(delta, null);
  }

  private JsonObject chunk(JsonObject delta, String finishReason) {
    JsonObject choice = new JsonObject().put("index", 0).put("delta", delta).put("logprobs", null)
        .put("finish_reason", finishReason);
    return envelope().put("choices", new JsonArray().add(choice));
  }

  private JsonObject envelope() {
    return new JsonObject().put("id", id != null ? id : ChatReplyEncoder.completionId(null))
        .put("object", "chat.completion.chunk").put("created", created).put("model", model);
  }
}
