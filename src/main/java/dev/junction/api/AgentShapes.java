package dev.junction.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validation and normalisation of agent fields into the response shape MA returns: model as an
 * object with resolved effort, toolsets with fully resolved default configs, skills with versions.
 */
final class AgentShapes {
  static final Set<String> BUILT_IN_TOOLS = Set.of("bash", "edit", "read", "write", "glob", "grep", "web_fetch", "web_search");
  static final Set<String> EFFORTS = Set.of("low", "medium", "high", "xhigh", "max");
  static final Set<String> POLICIES = Set.of("always_allow", "always_ask", "auto");
  private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  private AgentShapes() {
  }

  static JsonObject model(Object v, String path, JsonObject previous) {
    if (v instanceof String s) {
      if (s.isBlank()) {
        throw ApiError.invalid(path + ": must not be empty");
      }
      return new JsonObject().put("id", s).put("effort", defaultEffort(previous)).put("speed", "standard");
    }
    if (!(v instanceof JsonObject o)) {
      throw Fields.typeError(path, "a model id string or an object with id", v);
    }
    Fields.onlyKnown(o, path, Set.of("id", "effort", "speed", "inference_geo"));
    String id = Fields.requiredString(o, path, "id", 1, 256);
    JsonObject out = new JsonObject().put("id", id);
    if (o.containsKey("effort")) {
      Object e = o.getValue("effort");
      if (e == null) {
        out.putNull("effort");
      } else if (e instanceof String s) {
        out.put("effort", new JsonObject().put("type", checkEffort(s, path + ".effort")));
      } else if (e instanceof JsonObject eo) {
        out.put("effort", new JsonObject().put("type", checkEffort(Fields.requiredString(eo, path + ".effort", "type", 1, 16), path + ".effort.type")));
      } else {
        throw Fields.typeError(path + ".effort", "a string or {type}", e);
      }
    } else {
      out.put("effort", defaultEffort(previous));
    }
    String speed = Fields.oneOf(o, path, "speed", Set.of("standard", "fast"), false);
    out.put("speed", speed == null ? "standard" : speed);
    String geo = Fields.optionalString(o, path, "inference_geo", 1, 64);
    if (geo != null) {
      out.put("inference_geo", geo);
    }
    return out;
  }

  /** Omitting effort on update keeps the stored one; on create it resolves to the default. */
  private static Object defaultEffort(JsonObject previous) {
    if (previous != null && previous.containsKey("effort")) {
      return previous.getValue("effort");
    }
    return new JsonObject().put("type", "high");
  }

  private static String checkEffort(String s, String path) {
    if (!EFFORTS.contains(s)) {
      throw ApiError.invalid(path + ": '" + s + "' is not one of " + new java.util.TreeSet<>(EFFORTS));
    }
    return s;
  }

  static JsonArray tools(JsonArray tools, String path, JsonArray mcpServers) {
    JsonArray out = new JsonArray();
    Set<String> customNames = new HashSet<>();
    Set<String> toolsets = new HashSet<>();
    for (int i = 0; i < tools.size(); i++) {
      String p = path + "[" + i + "]";
      JsonObject t = Fields.objectAt(tools, path, i);
      String type = Fields.requiredString(t, p, "type", 1, 64);
      switch (type) {
        case "agent_toolset_20260401" -> {
          if (!toolsets.add(type)) {
            throw ApiError.invalid(p + ": agent_toolset_20260401 may appear once");
          }
          out.add(toolset(t, p, true));
        }
        case "mcp_toolset" -> {
          String server = Fields.requiredString(t, p, "mcp_server_name", 1, 255);
          if (!toolsets.add("mcp:" + server)) {
            throw ApiError.invalid(p + ".mcp_server_name: toolset for '" + server + "' appears twice");
          }
          if (mcpServers == null || mcpServers.stream().noneMatch(s -> server.equals(((JsonObject) s).getString("name")))) {
            throw ApiError.invalid(p + ".mcp_server_name: no mcp_servers entry is named '" + server + "'");
          }
          out.add(toolset(t, p, false).put("mcp_server_name", server));
        }
        case "custom" -> {
          Fields.onlyKnown(t, p, Set.of("type", "name", "description", "input_schema"));
          String name = Fields.requiredString(t, p, "name", 1, 128);
          if (!TOOL_NAME.matcher(name).matches()) {
            throw ApiError.invalid(p + ".name: '" + name + "' must match [A-Za-z0-9_-]{1,128}");
          }
          if (!customNames.add(name)) {
            throw ApiError.invalid(p + ".name: custom tool '" + name + "' is defined twice");
          }
          String description = Fields.requiredString(t, p, "description", 0, 10_000);
          JsonObject schema = Fields.requiredObject(t, p, "input_schema");
          if (!"object".equals(schema.getValue("type"))) {
            throw ApiError.invalid(p + ".input_schema.type: must be \"object\"");
          }
          out.add(new JsonObject().put("type", "custom").put("name", name).put("description", description)
              .put("input_schema", schema));
        }
        default -> throw ApiError.invalid(p + ".type: unknown tool type '" + type
            + "'; expected agent_toolset_20260401, mcp_toolset or custom");
      }
    }
    if (out.size() > 256) {
      throw ApiError.invalid(path + ": at most 256 tools");
    }
    return out;
  }

  private static JsonObject toolset(JsonObject t, String p, boolean builtIn) {
    Fields.onlyKnown(t, p, builtIn ? Set.of("type", "default_config", "configs")
        : Set.of("type", "mcp_server_name", "default_config", "configs"));
    JsonObject dc = Fields.optionalObject(t, p, "default_config");
    // MA: built-in tools default to always_allow; MCP tools default to always_ask.
    boolean enabled = true;
    JsonObject policy = new JsonObject().put("type", builtIn ? "always_allow" : "always_ask");
    if (dc != null) {
      Fields.onlyKnown(dc, p + ".default_config", Set.of("enabled", "permission_policy"));
      Boolean e = Fields.optionalBool(dc, p + ".default_config", "enabled");
      enabled = e == null || e;
      JsonObject pp = policy(dc, p + ".default_config");
      if (pp != null) {
        policy = pp;
      }
    }
    JsonArray configs = new JsonArray();
    JsonArray in = Fields.optionalArray(t, p, "configs", 256);
    Set<String> seen = new HashSet<>();
    if (in != null) {
      for (int i = 0; i < in.size(); i++) {
        String cp = p + ".configs[" + i + "]";
        JsonObject c = Fields.objectAt(in, p + ".configs", i);
        String name = Fields.requiredString(c, cp, "name", 1, 255);
        if (builtIn && !BUILT_IN_TOOLS.contains(name)) {
          throw ApiError.invalid(cp + ".name: '" + name + "' is not a built-in tool; expected one of "
              + new java.util.TreeSet<>(BUILT_IN_TOOLS));
        }
        if (!seen.add(name)) {
          throw ApiError.invalid(cp + ".name: '" + name + "' is configured twice");
        }
        String type = Fields.optionalString(c, cp, "type", 1, 64);
        if (builtIn && type != null && !type.equals(name)) {
          throw ApiError.invalid(cp + ".type: must equal name ('" + name + "')");
        }
        Boolean e = Fields.optionalBool(c, cp, "enabled");
        JsonObject pp = policy(c, cp);
        JsonObject norm = c.copy();
        if (builtIn) {
          norm.put("type", name);
        }
        norm.put("name", name).put("enabled", e == null ? enabled : e)
            .put("permission_policy", pp == null ? policy.copy() : pp);
        configs.add(norm);
      }
    }
    return new JsonObject().put("type", builtIn ? "agent_toolset_20260401" : "mcp_toolset")
        .put("default_config", new JsonObject().put("enabled", enabled).put("permission_policy", policy))
        .put("configs", configs);
  }

  private static JsonObject policy(JsonObject o, String p) {
    JsonObject pp = Fields.optionalObject(o, p, "permission_policy");
    if (pp == null) {
      return null;
    }
    String type = Fields.oneOf(pp, p + ".permission_policy", "type", POLICIES, true);
    return new JsonObject().put("type", type);
  }

  static JsonArray mcpServers(JsonArray in, String path) {
    JsonArray out = new JsonArray();
    Set<String> names = new HashSet<>();
    if (in.size() > 20) {
      throw ApiError.invalid(path + ": at most 20 MCP servers");
    }
    for (int i = 0; i < in.size(); i++) {
      String p = path + "[" + i + "]";
      JsonObject s = Fields.objectAt(in, path, i);
      Fields.onlyKnown(s, p, Set.of("type", "name", "url"));
      Fields.oneOf(s, p, "type", Set.of("url"), true);
      String name = Fields.requiredString(s, p, "name", 1, 255);
      if (!names.add(name)) {
        throw ApiError.invalid(p + ".name: '" + name + "' is used twice");
      }
      String url = Fields.requiredString(s, p, "url", 1, 2048);
      if (!url.startsWith("http://") && !url.startsWith("https://")) {
        throw ApiError.invalid(p + ".url: must be an http(s) URL");
      }
      out.add(new JsonObject().put("type", "url").put("name", name).put("url", url));
    }
    return out;
  }

  /** Every MCP server must be used by an mcp_toolset, as MA requires. */
  static void checkMcpReferenced(JsonArray servers, JsonArray tools, String path) {
    for (int i = 0; i < servers.size(); i++) {
      String name = servers.getJsonObject(i).getString("name");
      boolean used = tools.stream().anyMatch(t -> name.equals(((JsonObject) t).getString("mcp_server_name")));
      if (!used) {
        throw ApiError.invalid(path + "[" + i + "]: MCP server '" + name + "' is not referenced by any mcp_toolset in tools");
      }
    }
  }

  static JsonArray skills(JsonArray in, String path) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < in.size(); i++) {
      String p = path + "[" + i + "]";
      JsonObject s = Fields.objectAt(in, path, i);
      Fields.onlyKnown(s, p, Set.of("type", "skill_id", "version"));
      String type = Fields.oneOf(s, p, "type", Set.of("anthropic", "custom"), true);
      String id = Fields.requiredString(s, p, "skill_id", 1, 256);
      String version = Fields.optionalString(s, p, "version", 1, 64);
      out.add(new JsonObject().put("type", type).put("skill_id", id).put("version", version == null ? "latest" : version));
    }
    return out;
  }

  static JsonObject multiagent(Object v, String path) {
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject o)) {
      throw Fields.typeError(path, "an object or null", v);
    }
    Fields.oneOf(o, path, "type", Set.of("coordinator", "multiagent_20261001"), true);
    return o;
  }

  static JsonObject executionIdentity(Object v, String path) {
    if (v == null) {
      return new JsonObject().put("type", "service_account");
    }
    if (!(v instanceof JsonObject o)) {
      throw Fields.typeError(path, "an object or null", v);
    }
    String type = Fields.oneOf(o, path, "type", Set.of("service_account", "aws_role"), true);
    if (type.equals("aws_role")) {
      Fields.requiredString(o, path, "role_arn", 1, 2048);
    }
    return o;
  }

  static final List<String> SNAPSHOT_FIELDS = List.of("name", "description", "system", "model", "tools", "mcp_servers",
      "skills", "multiagent", "execution_identity");
}
