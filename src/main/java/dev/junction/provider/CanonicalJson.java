package dev.junction.provider;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Canonical types to and from Anthropic Messages wire JSON. The conversion is faithful: it drops
 * nothing and invents nothing (provider-specific cleaning lives in the Anthropic adapter). The
 * gateway's northbound endpoints and the Anthropic adapter both use it. Unknown fields are ignored
 * on the way in; unknown block types fail with {@link IllegalArgumentException} naming the type.
 */
public final class CanonicalJson {
  private CanonicalJson() {
  }

  // ---- requests ----

  public static JsonObject encodeRequest(ModelRequest request) {
    JsonObject out = new JsonObject().put("model", request.model()).put("max_tokens", request.maxTokens());
    if (!request.system().isEmpty()) {
      out.put("system", encodeSystem(request.system()));
    }
    if (request.stream()) {
      out.put("stream", true);
    }
    if (!request.metadata().isEmpty()) {
      out.put("metadata", new JsonObject(new LinkedHashMap<>(request.metadata())));
    }
    if (request.toolChoice() != null) {
      out.put("tool_choice", encodeToolChoice(request.toolChoice()));
    }
    if (!request.tools().isEmpty()) {
      JsonArray tools = new JsonArray();
      for (ToolDefinition tool : request.tools()) {
        tools.add(encodeTool(tool));
      }
      out.put("tools", tools);
    }
    JsonArray messages = new JsonArray();
    for (Message message : request.messages()) {
      messages.add(encodeMessage(message));
    }
    out.put("messages", messages);
    if (!request.stopSequences().isEmpty()) {
      out.put("stop_sequences", new JsonArray(new ArrayList<>(request.stopSequences())));
    }
    if (request.thinking() != null) {
      JsonObject thinking = new JsonObject().put("type", request.thinking().type());
      if (request.thinking().budgetTokens() != null) {
        thinking.put("budget_tokens", request.thinking().budgetTokens());
      }
      out.put("thinking", thinking);
    }
    if (request.effort() != null) {
      out.put("output_config", new JsonObject().put("effort", request.effort()));
    }
    putIfNotNull(out, "temperature", request.temperature());
    putIfNotNull(out, "top_p", request.topP());
    putIfNotNull(out, "top_k", request.topK());
    return out;
  }

  public static ModelRequest decodeRequest(JsonObject json) {
    String model = json.getString("model");
    if (model == null) {
      throw new IllegalArgumentException("model is required");
    }
    Integer maxTokens = json.getInteger("max_tokens");
    if (maxTokens == null) {
      throw new IllegalArgumentException("max_tokens is required");
    }
    ModelRequest.Builder b = ModelRequest.builder(model).maxTokens(maxTokens)
        .stream(json.getBoolean("stream", false));
    Object system = json.getValue("system");
    if (system instanceof String text) {
      b.system(text);
    } else if (system instanceof JsonArray blocks) {
      for (int i = 0; i < blocks.size(); i++) {
        if (decodeBlock(blocks.getJsonObject(i)) instanceof ContentBlock.Text text) {
          b.system(text);
        }
      }
    }
    JsonArray messages = json.getJsonArray("messages", new JsonArray());
    for (int i = 0; i < messages.size(); i++) {
      b.message(decodeMessage(messages.getJsonObject(i)));
    }
    JsonArray tools = json.getJsonArray("tools");
    if (tools != null) {
      for (int i = 0; i < tools.size(); i++) {
        b.tool(decodeTool(tools.getJsonObject(i)));
      }
    }
    JsonObject choice = json.getJsonObject("tool_choice");
    if (choice != null) {
      b.toolChoice(new ToolChoice(choice.getString("type"), choice.getString("name"),
          choice.getBoolean("disable_parallel_tool_use", false)));
    }
    JsonArray stops = json.getJsonArray("stop_sequences");
    if (stops != null) {
      for (int i = 0; i < stops.size(); i++) {
        b.stopSequence(stops.getString(i));
      }
    }
    JsonObject thinking = json.getJsonObject("thinking");
    if (thinking != null) {
      b.thinking(new ThinkingConfig(thinking.getString("type"), thinking.getInteger("budget_tokens")));
    }
    JsonObject metadata = json.getJsonObject("metadata");
    if (metadata != null) {
      for (Map.Entry<String, Object> e : metadata) {
        if (e.getValue() != null) {
          b.metadata(e.getKey(), String.valueOf(e.getValue()));
        }
      }
    }
    JsonObject outputConfig = json.getJsonObject("output_config");
    if (outputConfig != null) {
      b.effort(outputConfig.getString("effort"));
    }
    b.temperature(json.getDouble("temperature")).topP(json.getDouble("top_p")).topK(json.getInteger("top_k"));
    return b.build();
  }

  public static Object encodeSystem(List<ContentBlock.Text> system) {
    if (system.size() == 1 && system.get(0).cacheControl() == null) {
      return system.get(0).text();
    }
    JsonArray blocks = new JsonArray();
    for (ContentBlock.Text text : system) {
      blocks.add(encodeBlock(text));
    }
    return blocks;
  }

  public static JsonObject encodeToolChoice(ToolChoice choice) {
    JsonObject out = new JsonObject().put("type", choice.type());
    if (choice.name() != null) {
      out.put("name", choice.name());
    }
    if (choice.disableParallelToolUse()) {
      out.put("disable_parallel_tool_use", true);
    }
    return out;
  }

  public static JsonObject encodeTool(ToolDefinition tool) {
    JsonObject out = new JsonObject().put("name", tool.name());
    if (tool.description() != null) {
      out.put("description", tool.description());
    }
    out.put("input_schema", tool.inputSchema().copy());
    if (tool.strict() != null) {
      out.put("strict", tool.strict());
    }
    putCacheControl(out, tool.cacheControl());
    return out;
  }

  public static ToolDefinition decodeTool(JsonObject json) {
    return new ToolDefinition(json.getString("name"), json.getString("description"),
        json.getJsonObject("input_schema"), json.getBoolean("strict"), decodeCacheControl(json));
  }

  // ---- messages and blocks ----

  public static JsonObject encodeMessage(Message message) {
    return new JsonObject().put("role", message.role().wire()).put("content", encodeContent(message.content()));
  }

  public static Message decodeMessage(JsonObject json) {
    return new Message(Role.fromWire(json.getString("role")), decodeContent(json.getValue("content")));
  }

  /** A single plain text block becomes the string shorthand the Messages API defines for it. */
  public static Object encodeContent(List<ContentBlock> content) {
    if (content.size() == 1 && content.get(0) instanceof ContentBlock.Text text && text.cacheControl() == null) {
      return text.text();
    }
    JsonArray blocks = new JsonArray();
    for (ContentBlock block : content) {
      blocks.add(encodeBlock(block));
    }
    return blocks;
  }

  public static List<ContentBlock> decodeContent(Object content) {
    if (content == null) {
      return List.of();
    }
    if (content instanceof String text) {
      return List.of(new ContentBlock.Text(text));
    }
    if (content instanceof JsonArray blocks) {
      List<ContentBlock> out = new ArrayList<>(blocks.size());
      for (int i = 0; i < blocks.size(); i++) {
        out.add(decodeBlock(blocks.getJsonObject(i)));
      }
      return out;
    }
    throw new IllegalArgumentException("content must be a string or an array of blocks");
  }

  public static JsonObject encodeBlock(ContentBlock block) {
    JsonObject out;
    if (block instanceof ContentBlock.Text text) {
      out = new JsonObject().put("type", "text").put("text", text.text());
      putCacheControl(out, text.cacheControl());
    } else if (block instanceof ContentBlock.ToolUse use) {
      out = new JsonObject().put("type", "tool_use").put("id", use.id()).put("name", use.name())
          .put("input", use.input().copy());
    } else if (block instanceof ContentBlock.ToolResult result) {
      out = new JsonObject().put("type", "tool_result").put("tool_use_id", result.toolUseId())
          .put("content", encodeContent(result.content()));
      if (result.isError()) {
        out.put("is_error", true);
      }
      putCacheControl(out, result.cacheControl());
    } else if (block instanceof ContentBlock.Image image) {
      out = new JsonObject().put("type", "image").put("source", encodeSource(image.source()));
    } else if (block instanceof ContentBlock.Document document) {
      out = new JsonObject().put("type", "document").put("source", encodeSource(document.source()));
      if (document.title() != null) {
        out.put("title", document.title());
      }
    } else if (block instanceof ContentBlock.Thinking thinking) {
      out = new JsonObject().put("type", "thinking").put("thinking", thinking.thinking());
      if (thinking.signature() != null) {
        out.put("signature", thinking.signature());
      }
    } else if (block instanceof ContentBlock.RedactedThinking redacted) {
      out = new JsonObject().put("type", "redacted_thinking").put("data", redacted.data());
    } else {
      throw new IllegalStateException("unreachable: sealed ContentBlock " + block);
    }
    return out;
  }

  public static ContentBlock decodeBlock(JsonObject json) {
    String type = json.getString("type", "");
    return switch (type) {
      case "text" -> new ContentBlock.Text(json.getString("text", ""), decodeCacheControl(json));
      case "tool_use" -> new ContentBlock.ToolUse(json.getString("id"), json.getString("name"),
          json.getJsonObject("input", new JsonObject()));
      case "tool_result" -> new ContentBlock.ToolResult(json.getString("tool_use_id"),
          decodeContent(json.getValue("content", "")), json.getBoolean("is_error", false), decodeCacheControl(json));
      case "image" -> new ContentBlock.Image(decodeSource(json.getJsonObject("source")));
      case "document" -> new ContentBlock.Document(decodeSource(json.getJsonObject("source")), json.getString("title"));
      case "thinking" -> new ContentBlock.Thinking(json.getString("thinking", ""),
          emptyToNull(json.getString("signature")));
      case "redacted_thinking" -> new ContentBlock.RedactedThinking(json.getString("data", ""));
      default -> throw new IllegalArgumentException("unsupported content block type '" + type + "'");
    };
  }

  private static JsonObject encodeSource(MediaSource source) {
    JsonObject out = new JsonObject().put("type", source.kind());
    if (source.mediaType() != null) {
      out.put("media_type", source.mediaType());
    }
    if (source.data() != null) {
      out.put("data", source.data());
    }
    if (source.url() != null) {
      out.put("url", source.url());
    }
    return out;
  }

  private static MediaSource decodeSource(JsonObject json) {
    if (json == null) {
      throw new IllegalArgumentException("source is required");
    }
    return new MediaSource(json.getString("type"), json.getString("media_type"), json.getString("data"),
        json.getString("url"));
  }

  // ---- responses and usage ----

  public static JsonObject encodeResponse(ModelResponse response) {
    JsonArray content = new JsonArray();
    for (ContentBlock block : response.content()) {
      content.add(encodeBlock(block));
    }
    return new JsonObject().put("id", response.id()).put("type", "message").put("role", "assistant")
        .put("model", response.model()).put("content", content)
        .put("stop_reason", response.stopReason() == null ? null : response.stopReason().wire())
        .put("stop_sequence", response.stopSequence()).put("usage", encodeUsage(response.usage()));
  }

  public static ModelResponse decodeResponse(JsonObject json) {
    JsonArray blocks = json.getJsonArray("content", new JsonArray());
    List<ContentBlock> content = new ArrayList<>(blocks.size());
    for (int i = 0; i < blocks.size(); i++) {
      JsonObject block = blocks.getJsonObject(i);
      if (isKnownBlock(block.getString("type"))) {
        content.add(decodeBlock(block));
      }
    }
    return new ModelResponse(json.getString("id"), json.getString("model"), content,
        StopReason.fromWire(json.getString("stop_reason")), json.getString("stop_sequence"),
        decodeUsage(json.getJsonObject("usage"), Usage.ZERO));
  }

  /** Server-tool blocks (web search results and the like) have no canonical form yet and are skipped. */
  public static boolean isKnownBlock(String type) {
    return switch (type == null ? "" : type) {
      case "text", "tool_use", "tool_result", "image", "document", "thinking", "redacted_thinking" -> true;
      default -> false;
    };
  }

  public static JsonObject encodeUsage(Usage usage) {
    return new JsonObject().put("input_tokens", usage.inputTokens())
        .put("cache_creation_input_tokens", usage.cacheWriteTokens())
        .put("cache_read_input_tokens", usage.cacheReadTokens()).put("output_tokens", usage.outputTokens());
  }

  /** Reads usage; fields absent from {@code json} keep their value from {@code base}. */
  public static Usage decodeUsage(JsonObject json, Usage base) {
    if (json == null) {
      return base;
    }
    return new Usage(longOr(json, "input_tokens", base.inputTokens()),
        longOr(json, "output_tokens", base.outputTokens()),
        longOr(json, "cache_read_input_tokens", base.cacheReadTokens()),
        longOr(json, "cache_creation_input_tokens", base.cacheWriteTokens()));
  }

  // ---- stream events ----

  /** The SSE {@code event:} name Anthropic uses for a canonical event. */
  public static String eventName(StreamEvent event) {
    if (event instanceof StreamEvent.MessageStart) {
      return "message_start";
    } else if (event instanceof StreamEvent.BlockStart) {
      return "content_block_start";
    } else if (event instanceof StreamEvent.BlockStop) {
      return "content_block_stop";
    } else if (event instanceof StreamEvent.MessageDelta) {
      return "message_delta";
    } else if (event instanceof StreamEvent.MessageStop) {
      return "message_stop";
    } else if (event instanceof StreamEvent.Error) {
      return "error";
    }
    return "content_block_delta";
  }

  /** The Anthropic {@code data:} payload for a canonical event. */
  public static JsonObject encodeEvent(StreamEvent event) {
    String name = eventName(event);
    JsonObject out = new JsonObject().put("type", name);
    if (event instanceof StreamEvent.MessageStart start) {
      out.put("message", new JsonObject().put("id", start.id()).put("type", "message").put("role", "assistant")
          .put("model", start.model()).put("content", new JsonArray()).put("stop_reason", null)
          .put("stop_sequence", null).put("usage", encodeUsage(start.usage() == null ? Usage.ZERO : start.usage())));
    } else if (event instanceof StreamEvent.BlockStart start) {
      out.put("index", start.index()).put("content_block", encodeBlock(start.block()));
    } else if (event instanceof StreamEvent.TextDelta delta) {
      out.put("index", delta.index()).put("delta",
          new JsonObject().put("type", "text_delta").put("text", delta.text()));
    } else if (event instanceof StreamEvent.InputJsonDelta delta) {
      out.put("index", delta.index()).put("delta",
          new JsonObject().put("type", "input_json_delta").put("partial_json", delta.partialJson()));
    } else if (event instanceof StreamEvent.ThinkingDelta delta) {
      out.put("index", delta.index()).put("delta",
          new JsonObject().put("type", "thinking_delta").put("thinking", delta.thinking()));
    } else if (event instanceof StreamEvent.SignatureDelta delta) {
      out.put("index", delta.index()).put("delta",
          new JsonObject().put("type", "signature_delta").put("signature", delta.signature()));
    } else if (event instanceof StreamEvent.BlockStop stop) {
      out.put("index", stop.index());
    } else if (event instanceof StreamEvent.MessageDelta delta) {
      out.put("delta", new JsonObject()
          .put("stop_reason", delta.stopReason() == null ? null : delta.stopReason().wire())
          .put("stop_sequence", delta.stopSequence()));
      out.put("usage", encodeUsage(delta.usage() == null ? Usage.ZERO : delta.usage()));
    } else if (event instanceof StreamEvent.Error error) {
      out.put("error", new JsonObject().put("type", errorType(error.failure()))
          .put("message", error.failure().getMessage()));
    }
    return out;
  }

  /** The Anthropic error type a failure class is reported as on the northbound wire. */
  public static String errorType(ProviderException failure) {
    return switch (failure.failureClass()) {
      case CALLER_FAULT -> "invalid_request_error";
      case AUTH -> "authentication_error";
      case RATE_LIMITED, QUOTA -> "rate_limit_error";
      case OVERLOADED -> "overloaded_error";
      case SERVER, NETWORK, MALFORMED, CANCELLED -> "api_error";
      case TIMEOUT -> "timeout_error";
    };
  }

  // ---- helpers ----

  static long longOr(JsonObject json, String key, long fallback) {
    Object value = json.getValue(key);
    return value instanceof Number n ? n.longValue() : fallback;
  }

  private static void putCacheControl(JsonObject out, CacheControl cacheControl) {
    if (cacheControl != null) {
      JsonObject cc = new JsonObject().put("type", cacheControl.type());
      if (cacheControl.ttl() != null) {
        cc.put("ttl", cacheControl.ttl());
      }
      out.put("cache_control", cc);
    }
  }

  private static CacheControl decodeCacheControl(JsonObject json) {
    JsonObject cc = json.getJsonObject("cache_control");
    return cc == null ? null : new CacheControl(cc.getString("type", "ephemeral"), cc.getString("ttl"));
  }

  private static void putIfNotNull(JsonObject out, String key, Object value) {
    if (value != null) {
      out.put(key, value);
    }
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
