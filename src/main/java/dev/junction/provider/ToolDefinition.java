package dev.junction.provider;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A tool the model may call. {@code inputSchema} is a JSON Schema object; {@code strict} is null
 * unless the caller asked for it.
 */
public record ToolDefinition(String name, String description, JsonObject inputSchema, Boolean strict,
    CacheControl cacheControl) {
  public ToolDefinition {
    Objects.requireNonNull(name, "name");
    inputSchema = inputSchema == null ? new JsonObject().put("type", "object") : inputSchema.copy();
  }

  public ToolDefinition(String name, String description, JsonObject inputSchema) {
    this(name, description, inputSchema, null, null);
  }
}
