package dev.junction.provider.openai;

import dev.junction.provider.FailureClass;
import dev.junction.provider.ProviderException;
import dev.junction.provider.StreamEvent;
import dev.junction.provider.ToolIds;
import dev.junction.provider.Usage;
import dev.junction.provider.wire.SseEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Chat Completions chunks to the canonical stream (upstreams.md §5.4). Text and reasoning stream
 * as they come. Tool-call fragments are buffered per {@code index} and each call is written whole
 * when the choice finishes: that keeps every tool block contiguous even when a server interleaves
 * fragments of parallel calls, and lets invalid argument JSON fail as MALFORMED before anything of
 * the call is committed. The message ends at {@code [DONE]}, after the usage chunk. Chunks of the
 * usual shapes are read in one pass of the parser ({@link UsualChatChunk}) and the rest through a
 * map tree; both hand what they read to the same methods, so they cannot drift apart.
 */
public final class ChatStreamDecoder extends SseStreamDecoder {
  private final ChatTextHandler textHandler;
  private final boolean onePass;
  private final Map<Integer, ToolBuffer> tools = new TreeMap<>();
  private String responseId;
  private String finishReason;
  private boolean toolsFlushed;
  private Usage usage = Usage.ZERO;

  private static final class ToolBuffer {
    String id;
    String name;
    final StringBuilder arguments = new StringBuilder();
  }

  public ChatStreamDecoder(ChatTextHandler textHandler) {
    this(textHandler, true);
  }

  /**
   * @param onePass read chunks of the usual shapes in one pass ({@link UsualChatChunk}); off only
   *     for tests that compare it with the general way
   */
  ChatStreamDecoder(ChatTextHandler textHandler, boolean onePass) {
    super("Chat stream ended before [DONE]", "Chat stream chunk is invalid: ");
    this.textHandler = textHandler;
    this.onePass = onePass;
  }

  public ChatStreamDecoder() {
    this(ChatTextHandler.PLAIN);
  }

  /**
   * One chunk for a relay that splits and parses the stream itself ({@link ChatRelay}).
   *
   * @param chunk the parsed data, or null when it is not a JSON object ({@code text} then says what it was)
   */
  void event(boolean done, JsonObject chunk, Supplier<String> text, Consumer<StreamEvent> out) {
    if (writer.terminated()) {
      return;
    }
    writer.to(out);
    try {
      if (done) {
        done();
      } else if (chunk == null) {
        throw new IllegalArgumentException("not a JSON object: " + text.get());
      } else {
        chunk(chunk);
      }
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  @Override
  void decode(SseEvent event) {
    String data = event.data();
    if ("[DONE]".equals(data.trim())) {
      done();
    } else if (!onePass || !usual(data)) {
      chunk(new JsonObject(data));
    }
  }

  /**
   * Decodes a chunk of the usual shapes without the map tree; what the chunk's consumers throw
   * fails the stream like any decoding error, and is no reason to decode the chunk a second time.
   *
   * @return false when it is of another shape: nothing was done, and the general way decodes it
   */
  boolean usual(String data) {
    UsualChatChunk chunk = UsualChatChunk.read(data, writer.started());
    if (chunk == null) {
      return false;
    }
    if (!writer.started()) {
      start(chunk.id(), chunk.model());
    }
    if (chunk.usage() != null) {
      usage = chunk.usage();
    }
    delta(chunk.reasoning(), chunk.content());
    finish(chunk.finishReason());
    return true;
  }

  private void chunk(JsonObject chunk) {
    Object error = chunk.getValue("error");
    if (error != null) {
      JsonObject details = error instanceof JsonObject e ? e : new JsonObject().put("message", String.valueOf(error));
      writer.fail(OpenAiErrors.classifyEvent(details));
      return;
    }
    if (!writer.started()) {
      start(chunk.getString("id"), chunk.getString("model"));
    }
    JsonObject usageJson = chunk.getJsonObject("usage");
    if (usageJson != null) {
      usage = ChatCodec.usage(usageJson);
    }
    JsonArray choices = chunk.getJsonArray("choices");
    if (choices == null || choices.isEmpty()) {
      return;
    }
    JsonObject choice = choices.getJsonObject(0);
    JsonObject delta = choice.getJsonObject("delta");
    if (delta != null) {
      delta(ChatCodec.reasoningOf(delta), delta.getString("content"));
      JsonArray calls = delta.getJsonArray("tool_calls");
      if (calls != null) {
        for (int i = 0; i < calls.size(); i++) {
          toolFragment(calls.getJsonObject(i));
        }
      }
    }
    finish(choice.getString("finish_reason"));
  }

  private void start(String id, String model) {
    responseId = id;
    writer.start(id, model, Usage.ZERO);
  }

  private void delta(String reasoning, String content) {
    if (reasoning != null && !reasoning.isEmpty()) {
      writer.thinking(reasoning);
    }
    if (content != null && !content.isEmpty()) {
      textHandler.text(content, writer);
    }
  }

  private void finish(String reason) {
    if (reason != null) {
      finishReason = reason;
      flushTools();
    }
  }

  private void toolFragment(JsonObject call) {
    Integer index = call.getInteger("index");
    if (index == null) {
      // servers without indexes send each call whole, with an id; an id-less fragment continues the last call
      index = tools.isEmpty() || call.getString("id") != null ? tools.size() : tools.size() - 1;
    }
    ToolBuffer buffer = tools.computeIfAbsent(index, k -> new ToolBuffer());
    String id = call.getString("id");
    if (id != null && !id.isEmpty()) {
      buffer.id = id;
    }
    JsonObject function = call.getJsonObject("function");
    if (function != null) {
      String name = function.getString("name");
      if (name != null && !name.isEmpty()) {
        buffer.name = name;
      }
      Object arguments = function.getValue("arguments");
      if (arguments instanceof String fragment) {
        buffer.arguments.append(fragment);
      } else if (arguments instanceof JsonObject whole) {
        buffer.arguments.append(whole.encode());
      }
    }
  }

  private void flushTools() {
    textHandler.flush(writer);
    if (toolsFlushed) {
      return;
    }
    toolsFlushed = true;
    for (Map.Entry<Integer, ToolBuffer> e : tools.entrySet()) {
      ToolBuffer call = e.getValue();
      if (call.name == null) {
        throw ProviderException.of(FailureClass.MALFORMED, "streamed tool call " + e.getKey() + " has no name");
      }
      String id = call.id == null ? ToolIds.synthesize(responseId, e.getKey()) : ToolIds.toAnthropic(call.id);
      writer.toolCall(id, call.name, call.arguments.toString());
    }
  }

  private void done() {
    if (!writer.started()) {
      throw ProviderException.of(FailureClass.MALFORMED, "Chat stream ended with [DONE] before any chunk");
    }
    flushTools();
    writer.finish(ChatCodec.stopReason(finishReason), usage);
  }
}
