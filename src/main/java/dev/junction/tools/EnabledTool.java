package dev.junction.tools;

import io.vertx.core.json.JsonObject;

/**
 * A built-in tool an agent has turned on.
 *
 * @param tool   which tool
 * @param policy who decides whether a call runs
 * @param config the tool's own config entry as the agent stored it (e.g. web_fetch's
 *               {@code allowed_domains}); empty when it has none
 */
public record EnabledTool(BuiltinTool tool, PermissionPolicy policy, JsonObject config) {
  /** @return the model-facing definition: name, description, input_schema */
  public JsonObject definition() {
    return tool.definition();
  }
}
