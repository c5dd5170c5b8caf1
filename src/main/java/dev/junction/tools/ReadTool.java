package dev.junction.tools;

import dev.junction.provider.Cancellation;

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
            ? ToolResult.text(numbered(r.stdout(), first, range != null, cap))
            : JailedTool.failure(r, "reading " + path));
  }

  /**
   * Numbers whole lines until the numbered text would exceed {@code cap}; everything after, including
   * a partial last line, is reported as omitted so the model knows where to continue.
   */
  static String numbered(Output out, long firstLine, boolean ranged, int cap) {
    String text = out.head();
    if (text.isEmpty()) {
      return ranged ? "(no lines in that range)" : "(empty file)";
    }
    StringBuilder sb = new StringBuilder(Math.min(cap, text.length() + text.length() / 4));
    long n = firstLine;
    int from = 0;
    while (from < text.length()) {
      int nl = text.indexOf('\n', from);
      if (nl < 0 && out.truncated()) {
        break;
      }
      int to = nl < 0 ? text.length() : nl;
      if (sb.length() + (to - from) + 8 > cap) {
        break;
      }
      sb.append(String.format("%6d\t", n++)).append(text, from, to).append('\n');
      from = to + 1;
    }
    long omitted = out.omitted() + utf8Length(text, Math.min(from, text.length()));
    if (omitted > 0) {
      sb.append("[output truncated: ").append(omitted).append(out.head().length() + out.omitted() >= SCAN_LIMIT ? "+" : "")
          .append(" bytes omitted; the next line is ").append(n).append(", read further with view_range]\n");
    }
    return sb.toString();
  }

  private static long utf8Length(String s, int from) {
    return s.substring(from).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }
}
