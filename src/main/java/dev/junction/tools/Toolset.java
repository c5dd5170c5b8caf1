package dev.junction.tools;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The built-in tools an agent enabled, resolved from its {@code tools} array: a per-tool config
 * entry overrides the toolset's {@code default_config}, which defaults to enabled and
 * {@code always_allow} as in MA.
 *
 * @param enabled     enabled tools Junction runs, in the toolset's canonical order
 * @param unsupported enabled tool names Junction cannot run (e.g. {@code web_search}); the harness
 *                    may tell the user, the model is not offered them
 */
public record Toolset(List<EnabledTool> enabled, List<String> unsupported) {
  public static final String TYPE = "agent_toolset_20260401";
  private static final List<String> KNOWN = List.of("bash", "edit", "read", "write", "glob", "grep", "web_fetch", "web_search");

  public Toolset {
    enabled = List.copyOf(enabled);
    unsupported = List.copyOf(unsupported);
  }

  /**
   * @param agentTools an agent's {@code tools} array (custom and MCP entries are ignored); may be null
   * @return the enabled built-in tools; empty when the agent has no {@code agent_toolset_20260401}
   */
  public static Toolset from(JsonArray agentTools) {
    List<EnabledTool> on = new ArrayList<>();
    List<String> unsupported = new ArrayList<>();
    if (agentTools == null) {
      return new Toolset(on, unsupported);
    }
    for (Object o : agentTools) {
      if (!(o instanceof JsonObject entry) || !TYPE.equals(entry.getString("type"))) {
        continue;
      }
      JsonObject dflt = Optional.ofNullable(entry.getJsonObject("default_config")).orElse(new JsonObject());
      boolean dfltEnabled = dflt.getBoolean("enabled") == null || dflt.getBoolean("enabled");
      PermissionPolicy dfltPolicy = PermissionPolicy.from(dflt.getJsonObject("permission_policy"), PermissionPolicy.ALWAYS_ALLOW);
      JsonArray configs = Optional.ofNullable(entry.getJsonArray("configs")).orElse(new JsonArray());
      for (String name : KNOWN) {
        JsonObject cfg = configFor(configs, name);
        boolean enabled = cfg.getBoolean("enabled") == null ? dfltEnabled : cfg.getBoolean("enabled");
        if (!enabled) {
          continue;
        }
        BuiltinTool tool = BuiltinTool.named(name);
        if (tool == null) {
          unsupported.add(name);
          continue;
        }
        on.add(new EnabledTool(tool, PermissionPolicy.from(cfg.getJsonObject("permission_policy"), dfltPolicy), cfg));
      }
    }
    return new Toolset(on, unsupported);
  }

  private static JsonObject configFor(JsonArray configs, String name) {
    for (Object o : configs) {
      if (o instanceof JsonObject c && name.equals(c.getString("name", c.getString("type")))) {
        return c.copy();
      }
    }
    return new JsonObject();
  }

  /** @return the enabled tool called {@code name}, if any */
  public Optional<EnabledTool> find(String name) {
    return enabled.stream().filter(t -> t.tool().toolName().equals(name)).findFirst();
  }

  /** @return the model-facing definitions of the enabled tools */
  public JsonArray definitions() {
    JsonArray a = new JsonArray();
    enabled.forEach(t -> a.add(t.definition()));
    return a;
  }

  /** @return whether any enabled tool runs in the sandbox (if none, a session needs no jail) */
  public boolean needsSandbox() {
    return enabled.stream().anyMatch(t -> t.tool().jailed());
  }
}
