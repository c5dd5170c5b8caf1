package dev.junction.tools;

import dev.junction.provider.Cancellation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** {@code edit}: exact-string replacement in a file, read and written back through the jail. */
final class EditTool implements JailedTool {
  /** Larger files are refused rather than edited from a truncated copy. */
  static final int MAX_BYTES = 16 << 20;

  private final Vertx vertx;

  EditTool(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<ToolResult> run(SandboxSession session, JsonObject input, Cancellation cancellation) {
    String path = JailPaths.resolve(input.getString("file_path"), "file_path");
    String oldString = input.getString("old_string");
    String newString = input.getString("new_string");
    boolean all = Boolean.TRUE.equals(input.getBoolean("replace_all"));
    if (oldString == null || oldString.isEmpty()) {
      throw new ToolInputException("old_string is required and must not be empty");
    }
    if (newString == null) {
      throw new ToolInputException("new_string is required");
    }
    if (oldString.equals(newString)) {
      throw new ToolInputException("old_string and new_string are the same; nothing to do");
    }
    var argv = JailScripts.argv(JailScripts.READ, path, "0", "$", Integer.toString(MAX_BYTES + 1));
    return session.exec(argv, new byte[0], MAX_BYTES, session.spec().limits().defaultTimeout(), cancellation)
        .compose(r -> {
          if (r.ending() != ExecResult.Ending.EXITED || r.exitCode() != 0) {
            return Future.succeededFuture(JailedTool.failure(r, "reading " + path));
          }
          if (r.stdout().truncated()) {
            return Future.succeededFuture(ToolResult.error(path + " is larger than " + MAX_BYTES
                + " bytes; edit it with bash instead"));
          }
          // Counting and replacing in up to MAX_BYTES of text is too slow for an event loop.
          String text = r.stdout().head();
          return vertx.executeBlocking(() -> plan(text, path, oldString, newString, all), false).compose(plan ->
              plan.error() != null ? Future.succeededFuture(plan.error())
                  : WriteTool.write(session, path, plan.updated(), cancellation)
                  .map(w -> w.ending() == ExecResult.Ending.EXITED && w.exitCode() == 0
                      ? ToolResult.text("Edited " + path + ": replaced " + plan.count() + " occurrence"
                          + (plan.count() == 1 ? "" : "s"))
                      : JailedTool.failure(w, "writing " + path)));
        });
  }

  /** The edited text and how many replacements, or why the edit cannot be made. */
  record Plan(String updated, int count, ToolResult error) {
    static Plan refused(String why) {
      return new Plan(null, 0, ToolResult.error(why));
    }
  }

  static Plan plan(String text, String path, String oldString, String newString, boolean all) {
    if (text.indexOf('\uFFFD') >= 0) {
      // The file is not valid UTF-8 (or already holds U+FFFD); writing back the decoded text
      // could silently change bytes the edit never touched.
      return Plan.refused(path + " is not plain UTF-8 text; edit it with bash instead");
    }
    int count = occurrences(text, oldString);
    if (count == 0) {
      return Plan.refused("old_string not found in " + path);
    }
    if (count > 1 && !all) {
      return Plan.refused("old_string occurs " + count + " times in " + path
          + "; include more surrounding text to make it unique, or set replace_all to true");
    }
    return new Plan(all ? text.replace(oldString, newString) : replaceOnce(text, oldString, newString), count, null);
  }

  private static String replaceOnce(String text, String oldString, String newString) {
    int at = text.indexOf(oldString);
    return text.substring(0, at) + newString + text.substring(at + oldString.length());
  }

  static int occurrences(String text, String needle) {
    int n = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
      n++;
    }
    return n;
  }
}
