package dev.junction.tools;

import dev.junction.provider.Cancellation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code grep}: GNU grep with Perl-compatible regular expressions, run in the jail. */
final class GrepTool implements JailedTool {

  @Override
  public Future<ToolResult> run(SandboxSession session, JsonObject input, Cancellation cancellation) {
    String pattern = input.getString("pattern");
    if (pattern == null || pattern.isEmpty()) {
      throw new ToolInputException("pattern is required");
    }
    String root = JailPaths.resolve(input.getString("path", SandboxSpec.WORKSPACE), "path");
    int cap = session.spec().limits().outputBytes();
    var argv = JailScripts.argv(JailScripts.GREP, root, pattern);
    return session.exec(argv, new byte[0], cap, session.spec().limits().defaultTimeout(), cancellation)
        .map(r -> {
          if (r.ending() != ExecResult.Ending.EXITED || r.exitCode() != 0) {
            return JailedTool.failure(r, "grep");
          }
          Output out = r.stdout();
          if (out.head().isEmpty()) {
            return ToolResult.text("No matches");
          }
          if (!out.truncated()) {
            return ToolResult.text(out.head());
          }
          String head = out.head();
          int cut = head.lastIndexOf('\n') + 1;
          long omitted = out.omitted() + (head.length() - cut);
          return ToolResult.text(head.substring(0, cut) + Output.marker(omitted).substring(1));
        });
  }
}
