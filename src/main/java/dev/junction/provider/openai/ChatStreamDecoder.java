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
 * the call is committed. The message ends at {@code [DONE]}, after the usage chunk.
 */
public final class ChatStreamDecoder extends SseStreamDecoder {
  private final ChatTextHandler textHandler;
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
    super("Chat stream ended before [DONE]", "Chat stream chunk is invalid: ");
    this.textHandler = textHandler;
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
    if ("[DONE]".equals(event.data().trim())) {
      done();
      return;
    }
    chunk(new JsonObject(event.data()));
  }

  private void chunk(JsonObject chunk) {
    Object error = chunk.getValue("error");
    if (error != null) {
      JsonObject details = error instanceof JsonObject e ? e : new JsonObject().put("message", String.valueOf(error));
      writer.fail(OpenAiErrors.classifyEvent(details));
      return;
    }
    if (!writer.started()) {
      responseId = chunk.getString("id");
      writer.start(responseId, chunk.getString("model"), Usage.ZERO);
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
      String reasoning = ChatCodec.reasoningOf(delta);
      if (reasoning != null && !reasoning.isEmpty()) {
        writer.thinking(reasoning);
      }
      String content = delta.getString("content");
      if (content != null && !content.isEmpty()) {
        textHandler.text(content, writer);
      }
      JsonArray calls = delta.getJsonArray("tool_calls");
      if (calls != null) {
        for (int i = 0; i < calls.size(); i++) {
          toolFragment(calls.getJsonObject(i));
        }
      }
    }
    String finish = choice.getString("finish_reason");
    if (finish != null) {
      finishReason = finish;
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
