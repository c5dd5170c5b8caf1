package dev.junction.tools;

import dev.junction.provider.Cancellation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/** {@code write}: creates or replaces a file. */
final class WriteTool implements JailedTool {

  @Override
  public Future<ToolResult> run(SandboxSession session, JsonObject input, Cancellation cancellation) {
    String path = JailPaths.resolve(input.getString("file_path"), "file_path");
    String content = input.getString("content");
    if (content == null) {
      throw new ToolInputException("content is required");
    }
    return write(session, path, content, cancellation)
        .map(r -> r.ending() == ExecResult.Ending.EXITED && r.exitCode() == 0
            ? ToolResult.text("Wrote " + content.getBytes(StandardCharsets.UTF_8).length + " bytes to " + path)
            : JailedTool.failure(r, "writing " + path));
  }

  static Future<ExecResult> write(SandboxSession session, String path, String content, Cancellation c) {
    return session.exec(JailScripts.argv(JailScripts.WRITE, path), content.getBytes(StandardCharsets.UTF_8), 4096,
        session.spec().limits().defaultTimeout(), c);
  }
}
