package dev.junction.provider.openaicompat;

import dev.junction.provider.FailureClass;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ProviderException;
import dev.junction.provider.StreamEvent;
import dev.junction.provider.StreamWriter;
import dev.junction.provider.Usage;
import dev.junction.provider.wire.NdjsonDecoder;
import dev.junction.provider.wire.StreamDecoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * Ollama's native NDJSON stream to the canonical stream. Each line carries a message fragment;
 * tool calls arrive whole (arguments as an object); the {@code done:true} line carries
 * {@code done_reason} (which says {@code stop} even for tool calls) and the token counts.
 */
public final class OllamaNativeStreamDecoder implements StreamDecoder {
  private final NdjsonDecoder ndjson = new NdjsonDecoder();
  private final StreamWriter writer = new StreamWriter();
  private final TaggedTextHandler text;
  private final String seed;
  private final Consumer<String> onLine = this::line;
  private int calls;

  public OllamaNativeStreamDecoder(ModelRequest request) {
    this.text = new TaggedTextHandler(CompatCodec.toolNames(request.tools()), CompatCodec.idSeed(request));
    this.seed = CompatCodec.idSeed(request);
  }

  @Override
  public void feed(Buffer chunk, Consumer<StreamEvent> out) {
    if (writer.terminated()) {
      return;
    }
    writer.to(out);
    ndjson.feed(chunk, onLine);
  }

  @Override
  public void end(Consumer<StreamEvent> out) {
    writer.to(out);
    ndjson.end(onLine);
    if (!writer.terminated()) {
      writer.fail(ProviderException.of(FailureClass.NETWORK, "Ollama stream ended before done:true"));
    }
  }

  @Override
  public boolean finished() {
    return writer.terminated();
  }

  private void line(String line) {
    if (writer.terminated()) {
      return;
    }
    try {
      document(new JsonObject(line));
    } catch (ProviderException e) {
      writer.fail(e);
    } catch (RuntimeException e) {
      writer.fail(ProviderException.of(FailureClass.MALFORMED, "Ollama stream line is invalid: " + e.getMessage(), e));
    }
  }

  private void document(JsonObject json) {
    Object error = json.getValue("error");
    if (error != null) {
      writer.fail(ProviderException.of(FailureClass.SERVER, "Ollama stream error: " + error));
      return;
    }
    // Ollama has no message id; created_at of the first line is unique enough within a conversation
    writer.start("ollama-" + json.getString("created_at", ""), json.getString("model"), Usage.ZERO);
    JsonObject message = json.getJsonObject("message", new JsonObject());
    writer.thinking(message.getString("thinking"));
    String content = message.getString("content");
    if (content != null && !content.isEmpty()) {
      text.text(content, writer);
    }
    JsonArray toolCalls = message.getJsonArray("tool_calls");
    if (toolCalls != null) {
      text.flush(writer);
      for (int i = 0; i < toolCalls.size(); i++) {
        var use = OllamaNativeCodec.toolCall(writer.messageId() + seed, calls++, toolCalls.getJsonObject(i));
        writer.toolCall(use.id(), use.name(), use.input());
      }
    }
    if (json.getBoolean("done", false)) {
      text.flush(writer);
      writer.finish(OllamaNativeCodec.stopReason(json.getString("done_reason")), OllamaNativeCodec.usage(json));
    }
  }
}
