package dev.junction.provider.openai;

import dev.junction.provider.ContentBlock;
import dev.junction.provider.FailureClass;
import dev.junction.provider.HttpFailures;
import dev.junction.provider.Message;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.ProviderException;
import dev.junction.provider.Role;
import dev.junction.provider.StopReason;
import dev.junction.provider.ToolChoice;
import dev.junction.provider.ToolDefinition;
import dev.junction.provider.ToolIds;
import dev.junction.provider.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure Responses API translation. The gateway is stateless towards OpenAI, so every request is
 * {@code store:false} with the whole history as input items; the system prompt becomes
 * {@code instructions}; tool calls and results become {@code function_call} /
 * {@code function_call_output} items paired by {@code call_id}. There is no stop parameter and no
 * stop reason on the wire: stop sequences are not sent and the reason is derived from the items
 * and {@code incomplete_details}.
 */
public final class ResponsesCodec {
  private ResponsesCodec() {
  }

  public static JsonObject encode(ModelRequest request) {
    JsonObject out = new JsonObject().put("model", request.model()).put("max_output_tokens", request.maxTokens());
    if (request.stream()) {
      out.put("stream", true);
    }
    out.put("store", false);
    String system = request.systemText();
    if (system != null && !system.isEmpty()) {
      out.put("instructions", system);
    }
    out.put("include", new JsonArray().add("reasoning.encrypted_content"));
    String userId = request.metadata().get("user_id");
    if (userId != null) {
      // metadata needs store:true on OpenAI; the opaque end-user id has its own field
      out.put("safety_identifier", userId);
    }
    if (!request.tools().isEmpty()) {
      if (request.toolChoice() != null) {
        out.put("tool_choice", encodeToolChoice(request.toolChoice()));
      }
      out.put("parallel_tool_calls", request.toolChoice() == null || !request.toolChoice().disableParallelToolUse());
      JsonArray tools = new JsonArray();
      for (ToolDefinition tool : request.tools()) {
        tools.add(encodeTool(tool));
      }
      out.put("tools", tools);
    }
    out.put("input", encodeInput(request));
    if (request.temperature() != null) {
      out.put("temperature", request.temperature());
    }
    if (request.topP() != null) {
      out.put("top_p", request.topP());
    }
    String effort = ChatCodec.reasoningEffort(request);
    if (effort != null) {
      out.put("reasoning", new JsonObject().put("effort", effort));
    }
    return out;
  }

  private static Object encodeToolChoice(ToolChoice choice) {
    return switch (choice.type()) {
      case "any" -> "required";
      case "none" -> "none";
      case "tool" -> new JsonObject().put("type", "function").put("name", choice.name());
      default -> "auto";
    };
  }

  /** Flat function tools; {@code strict} is a required key, false unless the caller asked for it. */
  private static JsonObject encodeTool(ToolDefinition tool) {
    JsonObject out = new JsonObject().put("type", "function").put("name", tool.name());
    if (tool.description() != null) {
      out.put("description", tool.description());
    }
    return out.put("parameters", tool.inputSchema().copy()).put("strict", Boolean.TRUE.equals(tool.strict()));
  }

  private static JsonArray encodeInput(ModelRequest request) {
    JsonArray items = new JsonArray();
    for (Message message : request.messages()) {
      if (message.role() == Role.ASSISTANT) {
        encodeAssistant(message, items);
      } else {
        encodeUser(message, items);
      }
    }
    return items;
  }

  private static void encodeAssistant(Message message, JsonArray items) {
    StringBuilder text = new StringBuilder();
    List<JsonObject> calls = new ArrayList<>();
    for (ContentBlock block : message.content()) {
      if (block instanceof ContentBlock.Text t) {
        text.append(t.text());
      } else if (block instanceof ContentBlock.ToolUse use) {
        calls.add(new JsonObject().put("type", "function_call").put("call_id", ToolIds.fromAnthropic(use.id()))
            .put("name", use.name()).put("arguments", use.input().encode()));
      }
    }
    if (text.length() > 0) {
      items.add(new JsonObject().put("type", "message").put("role", "assistant").put("content", text.toString()));
    }
    calls.forEach(items::add);
  }

  private static void encodeUser(Message message, JsonArray items) {
    List<JsonObject> parts = new ArrayList<>();
    for (ContentBlock block : message.content()) {
      if (block instanceof ContentBlock.ToolResult result) {
        items.add(new JsonObject().put("type", "function_call_output")
            .put("call_id", ToolIds.fromAnthropic(result.toolUseId())).put("output", toolOutput(result)));
      } else if (block instanceof ContentBlock.Text text) {
        if (!text.text().isEmpty()) {
          parts.add(new JsonObject().put("type", "input_text").put("text", text.text()));
        }
      } else if (block instanceof ContentBlock.Image image) {
        parts.add(imagePart(image));
      } else if (block instanceof ContentBlock.Document document) {
        if ("text".equals(document.source().kind())) {
          parts.add(new JsonObject().put("type", "input_text").put("text", document.source().data()));
        } else if ("base64".equals(document.source().kind())) {
          parts.add(new JsonObject().put("type", "input_file").put("file_data", document.source().asUrl())
              .put("filename", document.title() != null ? document.title() : "document.pdf"));
        }
      }
    }
    if (parts.isEmpty()) {
      return;
    }
    Object content = parts.size() == 1 && "input_text".equals(parts.get(0).getString("type"))
        ? parts.get(0).getString("text") : new JsonArray(new ArrayList<>(parts));
    items.add(new JsonObject().put("role", "user").put("content", content));
  }

  private static JsonObject imagePart(ContentBlock.Image image) {
    return new JsonObject().put("type", "input_image").put("image_url", image.source().asUrl()).put("detail", "auto");
  }

  /** Text-only results as a string; results with images as an input list. */
  private static Object toolOutput(ContentBlock.ToolResult result) {
    boolean images = result.content().stream().anyMatch(b -> b instanceof ContentBlock.Image);
    if (!images) {
      return ChatCodec.toolResultText(result);
    }
    JsonArray parts = new JsonArray();
    String text = ChatCodec.toolResultText(result);
    if (!text.isEmpty()) {
      parts.add(new JsonObject().put("type", "input_text").put("text", text));
    }
    for (ContentBlock block : result.content()) {
      if (block instanceof ContentBlock.Image image) {
        parts.add(imagePart(image));
      }
    }
    return parts;
  }

  // ---- inbound ----

  public static ModelResponse decode(Buffer body) {
    JsonObject json = HttpFailures.jsonOrNull(body);
    if (json == null || json.getJsonArray("output") == null) {
      throw ProviderException.of(FailureClass.MALFORMED, "Responses reply has no output: " + HttpFailures.excerpt(body));
    }
    return decodeResponse(json);
  }

  /** A {@code response} object, from a reply body or a terminal stream event. */
  public static ModelResponse decodeResponse(JsonObject response) {
    if ("failed".equals(response.getString("status"))) {
      throw OpenAiErrors.classifyEvent(response.getJsonObject("error"));
    }
    JsonArray output = response.getJsonArray("output", new JsonArray());
    List<ContentBlock> content = new ArrayList<>();
    String id = response.getString("id");
    boolean refusal = false;
    for (int i = 0; i < output.size(); i++) {
      JsonObject item = output.getJsonObject(i);
      switch (item.getString("type", "")) {
        case "message" -> {
          JsonArray parts = item.getJsonArray("content", new JsonArray());
          for (int p = 0; p < parts.size(); p++) {
            JsonObject part = parts.getJsonObject(p);
            if ("output_text".equals(part.getString("type")) && !part.getString("text", "").isEmpty()) {
              content.add(new ContentBlock.Text(part.getString("text")));
            } else if ("refusal".equals(part.getString("type"))) {
              refusal = true;
              content.add(new ContentBlock.Text(part.getString("refusal", "")));
            }
          }
        }
        case "function_call" -> content.add(ChatCodec.decodeToolCall(id, i, new JsonObject()
            .put("id", item.getString("call_id"))
            .put("function", new JsonObject().put("name", item.getString("name"))
                .put("arguments", item.getString("arguments", "")))));
        case "reasoning" -> {
          String summary = summaryText(item);
          if (!summary.isEmpty()) {
            content.add(new ContentBlock.Thinking(summary, null));
          }
        }
        default -> {
          // built-in tool items (web search, code interpreter) have no canonical form
        }
      }
    }
    StopReason stop = refusal ? StopReason.REFUSAL : stopReason(response);
    return ChatCodec.finish(new ModelResponse(id, response.getString("model"), content, stop, null,
        usage(response.getJsonObject("usage"))));
  }

  private static String summaryText(JsonObject reasoning) {
    JsonArray summary = reasoning.getJsonArray("summary", new JsonArray());
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < summary.size(); i++) {
      JsonObject part = summary.getJsonObject(i);
      if (out.length() > 0) {
        out.append("\n\n");
      }
      out.append(part.getString("text", ""));
    }
    return out.toString();
  }

  public static StopReason stopReason(JsonObject response) {
    if (!"incomplete".equals(response.getString("status"))) {
      return StopReason.END_TURN;
    }
    JsonObject details = response.getJsonObject("incomplete_details");
    String reason = details == null ? null : details.getString("reason");
    return "content_filter".equals(reason) ? StopReason.REFUSAL : StopReason.MAX_TOKENS;
  }

  public static Usage usage(JsonObject usage) {
    if (usage == null) {
      return Usage.ZERO;
    }
    JsonObject details = usage.getJsonObject("input_tokens_details");
    long cached = details == null ? 0 : ChatCodec.longOf(details, "cached_tokens");
    long cacheWrite = details == null ? 0 : ChatCodec.longOf(details, "cache_write_tokens");
    return Usage.fromInclusive(ChatCodec.longOf(usage, "input_tokens"), cached, cacheWrite,
        ChatCodec.longOf(usage, "output_tokens"));
  }
}
