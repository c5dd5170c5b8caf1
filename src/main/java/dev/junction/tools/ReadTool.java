package dev.junction.tools;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** {@code read}: a text file, or a line range of it, numbered like {@code cat -n}. */
final class ReadTool implements JailedTool {
  /** Bytes the jailed helper reads at most, so a huge (or sparse) file cannot keep it busy. */
  private static final long SCAN_LIMIT = 32L << 20;

  @Override
  public Future<ToolResult> run(SandboxSession session, JsonObject input, Cancellation cancellation) {
    String path = JailPaths.resolve(input.getString("file_path"), "file_path");
    long start = 0;
    String end = "$";
    JsonArray range = input.getJsonArray("view_range");
    if (range != null) {
      if (range.size() != 2) {
        throw new ToolInputException("view_range must be [start, end]");
      }
      start = range.getLong(0);
      long last = range.getLong(1);
      if (start < 1 || (last != -1 && last < start)) {
        throw new ToolInputException("view_range must have 1 <= start <= end, or end -1 for the end of the file");
      }
      end = last == -1 ? "$" : Long.toString(last);
    }
    long first = Math.max(1, start);
    int cap = session.spec().limits().outputBytes();
    var argv = JailScripts.argv(JailScripts.READ, path, Long.toString(start), end, Long.toString(SCAN_LIMIT));
    return session.exec(argv, new byte[0], cap, session.spec().limits().defaultTimeout(), cancellation)
        .map(r -> r.ending() == ExecResult.Ending.EXITED && r.exitCode() == 0
            ? ToolResult.text(numbered(r.stdout(), first, range != null))
            : JailedTool.failure(r, "reading " + path));
  }

  static String numbered(Output out, long firstLine, boolean ranged) {
    String text = out.head();
    if (text.isEmpty()) {
      return ranged ? "(no lines in that range)" : "(empty file)";
    }
    long omitted = out.omitted();
    if (out.truncated()) {
      // Drop the partial last line so every numbered line is whole.
      int cut = text.lastIndexOf('\n');
      if (cut >= 0) {
        omitted += text.length() - cut - 1;
        text = text.substring(0, cut + 1);
      }
    }
    StringBuilder sb = new StringBuilder(text.length() + text.length() / 8);
    long n = firstLine;
    int from = 0;
    while (from < text.length()) {
      int nl = text.indexOf('\n', from);
      int to = nl < 0 ? text.length() : nl;
      sb.append(String.format("%6d\t", n++)).append(text, from, to).append('\n');
      from = to + 1;
    }
    if (omitted > 0) {
      sb.append("[output truncated: ").append(omitted).append(omitted + out.head().length() >= SCAN_LIMIT ? "+" : "")
          .append(" bytes omitted; read further with view_range]\n");
    }
    return sb.toString();
  }
}
