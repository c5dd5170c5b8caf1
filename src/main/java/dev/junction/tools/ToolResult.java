package dev.junction.tools;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What a tool call produced, in the shape of MA's {@code agent.tool_result}: content blocks and
 * whether the call failed. A failure the model should see (a missing file, a timeout) is a result
 * with {@code isError}, not a failed future.
 *
 * @param content MA text blocks {@code {"type":"text","text":...}}
 * @param isError whether the tool call failed
 */
public record ToolResult(List<JsonObject> content, boolean isError) {
  public ToolResult {
    content = List.copyOf(content);
  }

  public static ToolResult text(String text) {
    return new ToolResult(List.of(block(text)), false);
  }

  public static ToolResult error(String text) {
    return new ToolResult(List.of(block(text)), true);
  }

  private static JsonObject block(String text) {
    return new JsonObject().put("type", "text").put("text", text);
  }

  /** @return all text blocks joined, for logs and tests */
  public String text() {
    StringBuilder sb = new StringBuilder();
    for (JsonObject b : content) {
      sb.append(b.getString("text", ""));
    }
    return sb.toString();
  }

  /** @return the {@code content} array of an {@code agent.tool_result} event */
  public JsonArray contentJson() {
    JsonArray a = new JsonArray();
    content.forEach(b -> a.add(b.copy()));
    return a;
  }
}
