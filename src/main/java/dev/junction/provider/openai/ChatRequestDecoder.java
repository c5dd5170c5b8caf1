package dev.junction.provider.openai;

import dev.junction.provider.ContentBlock;
import dev.junction.provider.MediaSource;
import dev.junction.provider.Message;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.Role;
import dev.junction.provider.ToolChoice;
import dev.junction.provider.ToolDefinition;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A Chat Completions request as a client sends it to the gateway, read into the canonical form
 * (the reverse of {@link ChatCodec}, upstreams.md §5.1 "reverse direction"). System and developer
 * messages become the system prompt; consecutive {@code role:"tool"} messages become one user turn
 * of tool results, with any user text after them; string arguments become parsed tool inputs
 * ({@code ""} is {@code {}}). Fields without a canonical meaning ({@code response_format},
 * {@code logprobs}, ...) are ignored. A shape it cannot read fails with an
 * {@link IllegalArgumentException} whose message starts with the field path.
 */
public final class ChatRequestDecoder {
  /** Chat lets {@code max_tokens} be absent; the canonical form (and Anthropic) need a budget. */
  public static final int DEFAULT_MAX_TOKENS = 4096;
  private static final Set<String> EFFORTS = Set.of("low", "medium", "high");

  private ChatRequestDecoder() {
  }

  public static ModelRequest decode(JsonObject json) {
    ModelRequest.Builder b = ModelRequest.builder(json.getString("model"));
    Number max = (Number) json.getValue("max_completion_tokens", json.getValue("max_tokens"));
    b.maxTokens(max == null ? DEFAULT_MAX_TOKENS : max.intValue()).stream(json.getBoolean("stream", false));
    List<Message> messages = new ArrayList<>();
    JsonArray wire = json.getJsonArray("messages");
    for (int i = 0; i < wire.size(); i++) {
      message(wire.getJsonObject(i), "messages[" + i + "]", b, messages);
    }
    b.messages(messages);
    JsonArray tools = json.getJsonArray("tools");
    if (tools != null) {
      for (int i = 0; i < tools.size(); i++) {
        b.tool(tool(tools.getJsonObject(i), "tools[" + i + "]"));
      }
    }
    b.toolChoice(toolChoice(json.getValue("tool_choice"), json.getBoolean("parallel_tool_calls")));
    Object stop = json.getValue("stop");
    if (stop instanceof String s) {
      b.stopSequence(s);
    } else if (stop instanceof JsonArray list) {
      list.forEach(s -> b.stopSequence(String.valueOf(s)));
    }
    b.temperature(json.getDouble("temperature")).topP(json.getDouble("top_p"));
    String effort = json.getString("reasoning_effort");
    if (effort != null && EFFORTS.contains(effort)) {
      b.effort(effort);
    }
    String user = json.getString("safety_identifier", json.getString("user"));
    if (user != null) {
      b.metadata("user_id", user);
    }
    return b.build();
  }

  private static void message(JsonObject m, String path, ModelRequest.Builder b, List<Message> out) {
    String role = m.getString("role");
    switch (role) {
      case "system", "developer" -> {
        String text = text(m.getValue("content"), path + ".content");
        if (!text.isEmpty()) {
          b.system(text);
        }
      }
      case "user" -> append(out, Role.USER, userContent(m.getValue("content"), path + ".content"));
      case "assistant" -> append(out, Role.ASSISTANT, assistantContent(m, path));
      case "tool" -> {
        String id = m.getString("tool_call_id");
        if (id == null || id.isEmpty()) {
          throw new IllegalArgumentException(path + ".tool_call_id: required on a tool message");
        }
        append(out, Role.USER, List.of(new ContentBlock.ToolResult(id, text(m.getValue("content"), path + ".content"),
            false)));
      }
      default -> throw new IllegalArgumentException(path + ".role: '" + role
          + "' is not one of [assistant, developer, system, tool, user]");
    }
  }

  /** Consecutive turns of one role merge: tool results and the user text after them form one turn. */
  private static void append(List<Message> out, Role role, List<ContentBlock> content) {
    if (content.isEmpty()) {
      return;
    }
    if (!out.isEmpty() && out.get(out.size() - 1).role() == role) {
      List<ContentBlock> merged = new ArrayList<>(out.get(out.size() - 1).content());
      merged.addAll(content);
      out.set(out.size() - 1, new Message(role, merged));
    } else {
      out.add(new Message(role, content));
    }
  }

  private static List<ContentBlock> userContent(Object content, String path) {
    if (content instanceof String s) {
      return s.isEmpty() ? List.of() : List.of(new ContentBlock.Text(s));
    }
    if (!(content instanceof JsonArray parts)) {
      throw new IllegalArgumentException(path + ": expected a string or an array of parts");
    }
    List<ContentBlock> out = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      JsonObject part = parts.getJsonObject(i);
      String type = part.getString("type", "");
      switch (type) {
        case "text" -> {
          String text = part.getString("text", "");
          if (!text.isEmpty()) {
            out.add(new ContentBlock.Text(text));
          }
        }
        case "image_url" -> out.add(new ContentBlock.Image(image(part.getJsonObject("image_url"), path + "[" + i + "]")));
        default -> throw new IllegalArgumentException(path + "[" + i + "].type: '" + type
            + "' is not supported (text, image_url)");
      }
    }
    return out;
  }

  private static MediaSource image(JsonObject imageUrl, String path) {
    String url = imageUrl == null ? null : imageUrl.getString("url");
    if (url == null) {
      throw new IllegalArgumentException(path + ".image_url.url: required");
    }
    int comma = url.indexOf(',');
    if (url.startsWith("data:") && comma > 0 && url.substring(0, comma).endsWith(";base64")) {
      return MediaSource.base64(url.substring(5, comma - 7), url.substring(comma + 1));
    }
    return MediaSource.url(url);
  }

  private static List<ContentBlock> assistantContent(JsonObject m, String path) {
    List<ContentBlock> out = new ArrayList<>();
    Object content = m.getValue("content");
    if (content != null) {
      String text = text(content, path + ".content");
      if (!text.isEmpty()) {
        out.add(new ContentBlock.Text(text));
      }
    }
    JsonArray calls = m.getJsonArray("tool_calls");
    if (calls != null) {
      for (int i = 0; i < calls.size(); i++) {
        out.add(toolUse(calls.getJsonObject(i), path + ".tool_calls[" + i + "]"));
      }
    }
    return out;
  }

  private static ContentBlock.ToolUse toolUse(JsonObject call, String path) {
    JsonObject function = call.getJsonObject("function");
    String id = call.getString("id");
    String name = function == null ? null : function.getString("name");
    if (id == null || name == null) {
      throw new IllegalArgumentException(path + ": id and function.name are required");
    }
    Object arguments = function.getValue("arguments");
    JsonObject input;
    if (arguments instanceof JsonObject object) {
      input = object;
    } else if (arguments == null || arguments.toString().isBlank()) {
      input = new JsonObject();
    } else {
      try {
        input = new JsonObject(arguments.toString());
      } catch (DecodeException | ClassCastException e) {
        throw new IllegalArgumentException(path + ".function.arguments: not a JSON object");
      }
    }
    return new ContentBlock.ToolUse(id, name, input);
  }

  /** A string, or the text parts of a content array joined. */
  private static String text(Object content, String path) {
    if (content == null || content instanceof String) {
      return content == null ? "" : (String) content;
    }
    if (content instanceof JsonArray parts) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < parts.size(); i++) {
        JsonObject part = parts.getJsonObject(i);
        if (!"text".equals(part.getString("type"))) {
          throw new IllegalArgumentException(path + "[" + i + "].type: only text parts are accepted here");
        }
        out.append(part.getString("text", ""));
      }
      return out.toString();
    }
    throw new IllegalArgumentException(path + ": expected a string or an array of text parts");
  }

  private static ToolDefinition tool(JsonObject tool, String path) {
    JsonObject function = tool.getJsonObject("function");
    if (!"function".equals(tool.getString("type", "function")) || function == null || function.getString("name") == null) {
      throw new IllegalArgumentException(path + ": expected {type:\"function\", function:{name, parameters}}");
    }
    return new ToolDefinition(function.getString("name"), function.getString("description"),
        function.getJsonObject("parameters"), function.getBoolean("strict"), null);
  }

  private static ToolChoice toolChoice(Object choice, Boolean parallel) {
    boolean single = Boolean.FALSE.equals(parallel);
    if (choice == null) {
      return single ? new ToolChoice("auto", null, true) : null;
    }
    if (choice instanceof JsonObject named) {
      JsonObject function = named.getJsonObject("function");
      if (function == null || function.getString("name") == null) {
        throw new IllegalArgumentException("tool_choice.function.name: required");
      }
      return new ToolChoice("tool", function.getString("name"), single);
    }
    return switch (String.valueOf(choice)) {
      case "auto" -> new ToolChoice("auto", null, single);
      case "required" -> new ToolChoice("any", null, single);
      case "none" -> ToolChoice.NONE;
      default -> throw new IllegalArgumentException("tool_choice: '" + choice + "' is not one of [auto, none, required]");
    };
  }
}
