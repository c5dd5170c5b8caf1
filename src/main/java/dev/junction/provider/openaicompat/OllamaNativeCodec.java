package dev.junction.provider.openaicompat;

import dev.junction.provider.ContentBlock;
import dev.junction.provider.FailureClass;
import dev.junction.provider.HttpFailures;
import dev.junction.provider.Message;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.ProviderException;
import dev.junction.provider.Role;
import dev.junction.provider.StopReason;
import dev.junction.provider.StreamAccumulator;
import dev.junction.provider.ToolDefinition;
import dev.junction.provider.ToolIds;
import dev.junction.provider.Usage;
import dev.junction.provider.openai.ChatCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Ollama's native {@code /api/chat}: sampling and limits go in {@code options}, thinking is the
 * {@code think} flag, images are bare base64 strings, tool-call arguments are JSON objects, tool
 * results are {@code role:"tool"} messages, and usage is {@code prompt_eval_count} /
 * {@code eval_count} (Ollama reports no cache).
 */
public final class OllamaNativeCodec {
  private OllamaNativeCodec() {
  }

  public static JsonObject encode(ModelRequest request) {
    JsonObject out = new JsonObject().put("model", request.model()).put("stream", request.stream());
    boolean thinkingOff = request.thinking() != null && !request.thinking().isOn();
    out.put("think", !thinkingOff);
    JsonObject options = new JsonObject().put("num_predict", request.maxTokens())
        .put("temperature", request.temperature() != null ? request.temperature() : thinkingOff ? 0.7 : 0.6)
        .put("top_p", request.topP() != null ? request.topP() : thinkingOff ? 0.8 : 0.95);
    if (request.topK() != null) {
      options.put("top_k", request.topK());
    }
    if (!request.stopSequences().isEmpty()) {
      options.put("stop", new JsonArray(new ArrayList<>(request.stopSequences())));
    }
    out.put("options", options);
    if (!request.tools().isEmpty()) {
      JsonArray tools = new JsonArray();
      for (ToolDefinition tool : request.tools()) {
        tools.add(new JsonObject().put("type", "function").put("function", new JsonObject().put("name", tool.name())
            .put("description", tool.description()).put("parameters", tool.inputSchema().copy())));
      }
      out.put("tools", tools);
    }
    JsonArray messages = new JsonArray();
    String system = request.systemText();
    if (system != null && !system.isEmpty()) {
      messages.add(new JsonObject().put("role", "system").put("content", system));
    }
    for (Message message : request.messages()) {
      encodeMessage(message, messages);
    }
    return out.put("messages", messages);
  }

  private static void encodeMessage(Message message, JsonArray messages) {
    StringBuilder text = new StringBuilder();
    JsonArray images = new JsonArray();
    JsonArray calls = new JsonArray();
    for (ContentBlock block : message.content()) {
      if (block instanceof ContentBlock.Text t) {
        text.append(t.text());
      } else if (block instanceof ContentBlock.Image image && "base64".equals(image.source().kind())) {
        images.add(image.source().data());
      } else if (block instanceof ContentBlock.ToolUse use) {
        JsonObject function = new JsonObject().put("name", use.name()).put("arguments", use.input().copy());
        calls.add(new JsonObject().put("function", function));
      } else if (block instanceof ContentBlock.ToolResult result) {
        messages.add(new JsonObject().put("role", "tool").put("content", ChatCodec.toolResultText(result)));
      }
    }
    if (text.length() == 0 && images.isEmpty() && calls.isEmpty()) {
      return;
    }
    JsonObject out = new JsonObject().put("role", message.role() == Role.ASSISTANT ? "assistant" : "user")
        .put("content", text.toString());
    if (!images.isEmpty()) {
      out.put("images", images);
    }
    if (!calls.isEmpty()) {
      out.put("tool_calls", calls);
    }
    messages.add(out);
  }

  public static ModelResponse decode(ModelRequest request, Buffer body) {
    JsonObject json = HttpFailures.jsonOrNull(body);
    if (json == null || json.getJsonObject("message") == null) {
      throw ProviderException.of(FailureClass.MALFORMED, "Ollama reply has no message: " + HttpFailures.excerpt(body));
    }
    JsonObject message = json.getJsonObject("message");
    String id = "ollama-" + json.getString("created_at", "");
    List<ContentBlock> content = new ArrayList<>();
    String thinking = message.getString("thinking");
    if (thinking != null && !thinking.isEmpty()) {
      content.add(new ContentBlock.Thinking(thinking, null));
    }
    String text = message.getString("content");
    if (text != null && !text.isEmpty()) {
      content.add(new ContentBlock.Text(text));
    }
    JsonArray calls = message.getJsonArray("tool_calls");
    if (calls != null) {
      for (int i = 0; i < calls.size(); i++) {
        content.add(toolCall(id + CompatCodec.idSeed(request), i, calls.getJsonObject(i)));
      }
    }
    ModelResponse response = new ModelResponse(id, json.getString("model"), content,
        stopReason(json.getString("done_reason")), null, usage(json));
    return CompatCodec.normalise(request, ChatCodec.finish(response));
  }

  /** Native tool calls: the id is optional and the arguments are an object. */
  static ContentBlock.ToolUse toolCall(String seed, int index, JsonObject call) {
    JsonObject function = call.getJsonObject("function", new JsonObject());
    String name = function.getString("name");
    if (name == null || name.isEmpty()) {
      throw ProviderException.of(FailureClass.MALFORMED, "Ollama tool call " + index + " has no name");
    }
    Object arguments = function.getValue("arguments");
    JsonObject input = arguments instanceof JsonObject object ? object
        : StreamAccumulator.parseInput(name, arguments == null ? "" : arguments.toString());
    String id = call.getString("id");
    String canonicalId = id == null || id.isEmpty() ? ToolIds.synthesize(seed, index) : ToolIds.toAnthropic(id);
    return new ContentBlock.ToolUse(canonicalId, name, input);
  }

  static StopReason stopReason(String doneReason) {
    return "length".equals(doneReason) ? StopReason.MAX_TOKENS : StopReason.END_TURN;
  }

  static Usage usage(JsonObject json) {
    return new Usage(longOf(json, "prompt_eval_count"), longOf(json, "eval_count"), 0, 0);
  }

  private static long longOf(JsonObject json, String key) {
    Object value = json.getValue(key);
    return value instanceof Number n ? n.longValue() : 0;
  }
}
