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
import dev.junction.provider.StreamAccumulator;
import dev.junction.provider.ThinkingConfig;
import dev.junction.provider.ToolChoice;
import dev.junction.provider.ToolDefinition;
import dev.junction.provider.ToolIds;
import dev.junction.provider.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Pure Chat Completions translation (upstreams.md §5). Outbound: the system prompt becomes the
 * first message, tool results become one {@code role:"tool"} message each right after the
 * assistant turn (all text blocks joined; images follow in a user message, since tool messages
 * are text-only), thinking blocks are dropped (Chat has no input for them). Inbound: tool use is
 * decided by the presence of tool calls, usage is made exclusive, and reasoning is read from
 * {@code reasoning} or {@code reasoning_content} (local servers; OpenAI sends neither).
 */
public final class ChatCodec {
  private ChatCodec() {
  }

  public static JsonObject encode(ModelRequest request, ChatOptions options) {
    JsonObject out = new JsonObject().put("model", request.model());
    out.put(options.maxTokensField(), request.maxTokens());
    if (request.stream()) {
      out.put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
    }
    String userId = request.metadata().get("user_id");
    if (options.safetyIdentifier() && userId != null) {
      out.put("safety_identifier", userId);
    }
    if (!request.tools().isEmpty()) {
      if (options.toolChoice() && request.toolChoice() != null) {
        out.put("tool_choice", encodeToolChoice(request.toolChoice()));
      }
      if (options.parallelToolCalls()) {
        boolean parallel = request.toolChoice() == null || !request.toolChoice().disableParallelToolUse();
        out.put("parallel_tool_calls", parallel);
      }
      JsonArray tools = new JsonArray();
      for (ToolDefinition tool : request.tools()) {
        tools.add(encodeTool(tool));
      }
      out.put("tools", tools);
    }
    out.put("messages", encodeMessages(request, options));
    if (!request.stopSequences().isEmpty()) {
      // OpenAI accepts at most four stop strings
      List<String> stops = request.stopSequences();
      out.put("stop", new JsonArray(new ArrayList<>(stops.subList(0, Math.min(4, stops.size())))));
    }
    if (request.temperature() != null) {
      out.put("temperature", request.temperature());
    }
    if (request.topP() != null) {
      out.put("top_p", request.topP());
    }
    String effort = reasoningEffort(request);
    if (effort != null) {
      out.put("reasoning_effort", effort);
    }
    return out;
  }

  /** OpenAI's effort for a canonical request: the explicit effort, else one derived from the thinking budget. */
  public static String reasoningEffort(ModelRequest request) {
    if (request.effort() != null) {
      return request.effort().toLowerCase(Locale.ROOT);
    }
    ThinkingConfig thinking = request.thinking();
    if (thinking == null || !"enabled".equals(thinking.type()) || thinking.budgetTokens() == null) {
      return null;
    }
    int budget = thinking.budgetTokens();
    return budget >= 16_000 ? "high" : budget >= 4_000 ? "medium" : "low";
  }

  static Object encodeToolChoice(ToolChoice choice) {
    return switch (choice.type()) {
      case "any" -> "required";
      case "none" -> "none";
      case "tool" -> new JsonObject().put("type", "function").put("function", new JsonObject().put("name", choice.name()));
      default -> "auto";
    };
  }

  static JsonObject encodeTool(ToolDefinition tool) {
    JsonObject function = new JsonObject().put("name", tool.name());
    if (tool.description() != null) {
      function.put("description", tool.description());
    }
    function.put("parameters", tool.inputSchema().copy());
    if (tool.strict() != null) {
      function.put("strict", tool.strict());
    }
    return new JsonObject().put("type", "function").put("function", function);
  }

  static JsonArray encodeMessages(ModelRequest request, ChatOptions options) {
    JsonArray messages = new JsonArray();
    String system = request.systemText();
    if (system != null && !system.isEmpty()) {
      messages.add(new JsonObject().put("role", "system").put("content", system));
    }
    for (Message message : request.messages()) {
      if (message.role() == Role.ASSISTANT) {
        encodeAssistant(message, options, messages);
      } else {
        encodeUser(message, options, messages);
      }
    }
    return messages;
  }

  private static void encodeAssistant(Message message, ChatOptions options, JsonArray messages) {
    StringBuilder text = new StringBuilder();
    JsonArray calls = new JsonArray();
    for (ContentBlock block : message.content()) {
      if (block instanceof ContentBlock.Text t) {
        text.append(t.text());
      } else if (block instanceof ContentBlock.ToolUse use) {
        calls.add(new JsonObject().put("id", ToolIds.fromAnthropic(use.id())).put("type", "function")
            .put("function", new JsonObject().put("name", use.name()).put("arguments", use.input().encode())));
      }
      // thinking and redacted thinking have no Chat input field
    }
    if (text.length() == 0 && calls.isEmpty()) {
      return;
    }
    JsonObject out = new JsonObject().put("role", "assistant")
        .put("content", text.length() > 0 ? text.toString() : options.emptyAssistantContent());
    if (!calls.isEmpty()) {
      out.put("tool_calls", calls);
    }
    messages.add(out);
  }

  private static void encodeUser(Message message, ChatOptions options, JsonArray messages) {
    List<ContentBlock> rest = new ArrayList<>();
    List<ContentBlock> toolImages = new ArrayList<>();
    for (ContentBlock block : message.content()) {
      if (block instanceof ContentBlock.ToolResult result) {
        messages.add(new JsonObject().put("role", "tool").put("tool_call_id", ToolIds.fromAnthropic(result.toolUseId()))
            .put("content", toolResultText(result)));
        for (ContentBlock inner : result.content()) {
          if (inner instanceof ContentBlock.Image) {
            toolImages.add(inner);
          }
        }
      } else {
        rest.add(block);
      }
    }
    toolImages.addAll(rest);
    Object content = encodeUserContent(toolImages, options);
    if (content != null) {
      messages.add(new JsonObject().put("role", "user").put("content", content));
    }
  }

  /**
   * The text of a tool result. Chat has no error flag, so an error result is marked with an
   * {@code Error: } prefix unless its text already says so.
   */
  public static String toolResultText(ContentBlock.ToolResult result) {
    String text = result.joinedText();
    if (result.isError() && !text.regionMatches(true, 0, "error", 0, 5)) {
      return "Error: " + text;
    }
    return text;
  }

  /** A string for a single text block, parts otherwise, null when nothing is left to send. */
  static Object encodeUserContent(List<ContentBlock> blocks, ChatOptions options) {
    List<JsonObject> parts = new ArrayList<>();
    for (ContentBlock block : blocks) {
      if (block instanceof ContentBlock.Text text) {
        if (!text.text().isEmpty()) {
          parts.add(new JsonObject().put("type", "text").put("text", text.text()));
        }
      } else if (block instanceof ContentBlock.Image image) {
        parts.add(new JsonObject().put("type", "image_url")
            .put("image_url", new JsonObject().put("url", image.source().asUrl())));
      } else if (block instanceof ContentBlock.Document document) {
        JsonObject part = documentPart(document, options);
        if (part != null) {
          parts.add(part);
        }
      }
    }
    if (parts.isEmpty()) {
      return null;
    }
    if (parts.size() == 1 && "text".equals(parts.get(0).getString("type"))) {
      return parts.get(0).getString("text");
    }
    return new JsonArray(new ArrayList<>(parts));
  }

  private static JsonObject documentPart(ContentBlock.Document document, ChatOptions options) {
    if ("text".equals(document.source().kind())) {
      return new JsonObject().put("type", "text").put("text", document.source().data());
    }
    if (options.documents() && "base64".equals(document.source().kind())) {
      JsonObject file = new JsonObject().put("file_data", document.source().asUrl());
      file.put("filename", document.title() != null ? document.title() : "document.pdf");
      return new JsonObject().put("type", "file").put("file", file);
    }
    return null;
  }

  // ---- inbound ----

  public static ModelResponse decode(ModelRequest request, Buffer body) {
    JsonObject json = HttpFailures.jsonOrNull(body);
    JsonArray choices = json == null ? null : json.getJsonArray("choices");
    if (choices == null || choices.isEmpty()) {
      throw ProviderException.of(FailureClass.MALFORMED, "Chat reply has no choices: " + HttpFailures.excerpt(body));
    }
    JsonObject choice = choices.getJsonObject(0);
    JsonObject message = choice.getJsonObject("message", new JsonObject());
    String id = json.getString("id");
    List<ContentBlock> content = new ArrayList<>();
    String reasoning = reasoningOf(message);
    if (reasoning != null && !reasoning.isEmpty()) {
      content.add(new ContentBlock.Thinking(reasoning, null));
    }
    String text = contentText(message.getValue("content"));
    if (text != null && !text.isEmpty()) {
      content.add(new ContentBlock.Text(text));
    }
    String refusal = message.getString("refusal");
    if (refusal != null && !refusal.isEmpty()) {
      content.add(new ContentBlock.Text(refusal));
    }
    JsonArray calls = message.getJsonArray("tool_calls");
    if (calls != null) {
      for (int i = 0; i < calls.size(); i++) {
        content.add(decodeToolCall(id, i, calls.getJsonObject(i)));
      }
    }
    StopReason stop = refusal != null && !refusal.isEmpty() ? StopReason.REFUSAL
        : stopReason(choice.getString("finish_reason"));
    String stopSequence = null;
    if (choice.getValue("stop_reason") instanceof String matched && request.stopSequences().contains(matched)) {
      // vLLM names the stop string that ended the text
      stop = StopReason.STOP_SEQUENCE;
      stopSequence = matched;
    }
    return finish(new ModelResponse(id, json.getString("model"), content, stop, stopSequence,
        usage(json.getJsonObject("usage"))));
  }

  /**
   * Applies the rules every OpenAI-shaped reply shares: tool use is decided by the presence of
   * tool calls (servers answer {@code stop} with calls and {@code tool_calls} without), and a reply
   * with no content is MALFORMED unless it ran out of tokens.
   */
  public static ModelResponse finish(ModelResponse response) {
    StopReason stop = response.stopReason();
    if (response.hasToolUse()) {
      stop = StopReason.TOOL_USE;
    } else if (stop == StopReason.TOOL_USE) {
      stop = StopReason.END_TURN;
    }
    if (response.content().isEmpty() && stop != StopReason.MAX_TOKENS) {
      throw ProviderException.of(FailureClass.MALFORMED, "the upstream returned an empty reply");
    }
    return stop == response.stopReason() ? response
        : new ModelResponse(response.id(), response.model(), response.content(), stop, response.stopSequence(),
            response.usage());
  }

  /** Content as a string, or the text parts of a content array (some servers answer with parts). */
  static String contentText(Object content) {
    if (content instanceof String text) {
      return text;
    }
    if (content instanceof JsonArray parts) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < parts.size(); i++) {
        if (parts.getValue(i) instanceof JsonObject part && part.getValue("text") instanceof String text) {
          out.append(text);
        }
      }
      return out.toString();
    }
    return null;
  }

  /** Reasoning as local servers report it; OpenAI itself never sends these fields. */
  public static String reasoningOf(JsonObject messageOrDelta) {
    String reasoning = messageOrDelta.getString("reasoning");
    if (reasoning == null) {
      reasoning = messageOrDelta.getString("reasoning_content");
    }
    return reasoning;
  }

  static ContentBlock.ToolUse decodeToolCall(String responseId, int index, JsonObject call) {
    JsonObject function = call.getJsonObject("function", new JsonObject());
    String name = function.getString("name");
    if (name == null || name.isEmpty()) {
      throw ProviderException.of(FailureClass.MALFORMED, "tool call " + index + " has no function name");
    }
    Object arguments = function.getValue("arguments");
    JsonObject input = arguments instanceof JsonObject object ? object
        : StreamAccumulator.parseInput(name, arguments == null ? "" : arguments.toString());
    String id = call.getString("id");
    return new ContentBlock.ToolUse(id == null || id.isEmpty() ? ToolIds.synthesize(responseId, index)
        : ToolIds.toAnthropic(id), name, input);
  }

  /** The canonical stop reason for a finish_reason; presence of tool calls overrides it (see ModelResponses). */
  public static StopReason stopReason(String finishReason) {
    if (finishReason == null) {
      return StopReason.END_TURN;
    }
    return switch (finishReason) {
      case "length" -> StopReason.MAX_TOKENS;
      case "tool_calls", "function_call" -> StopReason.TOOL_USE;
      case "content_filter" -> StopReason.REFUSAL;
      default -> StopReason.END_TURN;
    };
  }

  /** Chat usage in the canonical exclusive form. */
  public static Usage usage(JsonObject usage) {
    if (usage == null) {
      return Usage.ZERO;
    }
    JsonObject details = usage.getJsonObject("prompt_tokens_details");
    long cached = details == null ? 0 : longOf(details, "cached_tokens");
    long cacheWrite = details == null ? 0 : longOf(details, "cache_write_tokens");
    return Usage.fromInclusive(longOf(usage, "prompt_tokens"), cached, cacheWrite, longOf(usage, "completion_tokens"));
  }

  static long longOf(JsonObject json, String key) {
    Object value = json.getValue(key);
    return value instanceof Number n ? n.longValue() : 0;
  }
}
