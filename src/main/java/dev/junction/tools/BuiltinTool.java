package dev.junction.tools;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The tools of {@code agent_toolset_20260401} that Junction runs, with what the model is told about
 * each. {@code web_search} is part of the toolset but has no search backend here, so it is not
 * listed; {@link Toolset} reports it as unsupported when an agent enables it.
 */
public enum BuiltinTool {
  BASH("bash", true,
      "Run a bash command in the session's persistent shell. Working directory, exported variables and "
          + "functions persist between calls. The workspace is /workspace (the starting directory); put files "
          + "meant for the user in /mnt/session/outputs. stdout and stderr are returned together with the exit "
          + "code; long output is truncated in the middle. Set restart to true to start a fresh shell. "
          + "timeout_ms bounds the command (default 120000); on timeout every process of the shell is killed.",
      schema(props()
          .put("command", prop("string", "The bash command to run."))
          .put("restart", prop("boolean", "Kill the shell and start a fresh one."))
          .put("timeout_ms", prop("integer", "Time limit in milliseconds.")), new JsonArray())),
  READ("read", true,
      "Read a text file and return it with line numbers (like cat -n). file_path is absolute (/workspace/..., "
          + "/mnt/session/outputs/...) or relative to /workspace. view_range [start, end] selects 1-based lines "
          + "inclusive; end -1 means to the end of the file.",
      schema(props()
          .put("file_path", prop("string", "Path of the file."))
          .put("view_range", new JsonObject().put("type", "array").put("items", new JsonObject().put("type", "integer"))
              .put("minItems", 2).put("maxItems", 2)
              .put("description", "Optional [start, end] line range, 1-based, inclusive; end -1 reads to the end.")),
          new JsonArray().add("file_path"))),
  WRITE("write", true,
      "Create or overwrite a file with the given content, creating parent directories as needed.",
      schema(props()
          .put("file_path", prop("string", "Path of the file."))
          .put("content", prop("string", "The full new content.")), new JsonArray().add("file_path").add("content"))),
  EDIT("edit", true,
      "Replace old_string with new_string in a file. old_string must occur exactly once unless replace_all is "
          + "true, in which case every occurrence is replaced.",
      schema(props()
          .put("file_path", prop("string", "Path of the file."))
          .put("old_string", prop("string", "Exact text to replace."))
          .put("new_string", prop("string", "Replacement text."))
          .put("replace_all", prop("boolean", "Replace every occurrence.")),
          new JsonArray().add("file_path").add("old_string").add("new_string"))),
  GLOB("glob", true,
      "Find files by glob pattern (e.g. **/*.py, src/*.{ts,tsx}) under path (default /workspace). Returns "
          + "matching paths, most recently modified first.",
      schema(props()
          .put("pattern", prop("string", "Glob pattern relative to path."))
          .put("path", prop("string", "Directory to search in.")), new JsonArray().add("pattern"))),
  GREP("grep", true,
      "Search file contents with a Perl-compatible regular expression under path (default /workspace), "
          + "recursively, skipping binary files. Returns path:line:text for each matching line.",
      schema(props()
          .put("pattern", prop("string", "Regular expression."))
          .put("path", prop("string", "File or directory to search.")), new JsonArray().add("pattern"))),
  WEB_FETCH("web_fetch", false,
      "Fetch an http or https URL and return its content as text (HTML is reduced to its text). Private, "
          + "loopback and link-local addresses are refused; large bodies are truncated.",
      schema(props().put("url", prop("string", "The URL to fetch.")), new JsonArray().add("url")));

  private final String toolName;
  private final boolean jailed;
  private final String description;
  private final JsonObject inputSchema;

  BuiltinTool(String toolName, boolean jailed, String description, JsonObject inputSchema) {
    this.toolName = toolName;
    this.jailed = jailed;
    this.description = description;
    this.inputSchema = inputSchema;
  }

  /** @return the name the model calls it by */
  public String toolName() {
    return toolName;
  }

  /** @return whether it runs in the session's sandbox (false: it runs in the gateway) */
  public boolean jailed() {
    return jailed;
  }

  /** @return {@code {name, description, input_schema}} as a model tool definition (a fresh copy) */
  public JsonObject definition() {
    return new JsonObject().put("name", toolName).put("description", description)
        .put("input_schema", inputSchema.copy());
  }

  /** @return the tool called {@code name}, or null */
  public static BuiltinTool named(String name) {
    for (BuiltinTool t : values()) {
      if (t.toolName.equals(name)) {
        return t;
      }
    }
    return null;
  }

  private static JsonObject props() {
    return new JsonObject();
  }

  private static JsonObject prop(String type, String description) {
    return new JsonObject().put("type", type).put("description", description);
  }

  private static JsonObject schema(JsonObject properties, JsonArray required) {
    return new JsonObject().put("type", "object").put("properties", properties).put("required", required);
  }
}
