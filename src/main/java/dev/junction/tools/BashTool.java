package dev.junction.tools;

import dev.junction.provider.Cancellation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code bash}: a command in the session's persistent shell. */
final class BashTool implements JailedTool {

  @Override
  public Future<ToolResult> run(SandboxSession session, JsonObject input, Cancellation cancellation) {
    boolean restart = Boolean.TRUE.equals(input.getBoolean("restart"));
    String command = input.getString("command");
    Long timeoutMs = input.getLong("timeout_ms");
    if (restart) {
      return session.restartShell().compose(v -> command == null || command.isBlank()
          ? Future.succeededFuture(ToolResult.text("The shell was restarted."))
          : execute(session, command, timeoutMs, cancellation));
    }
    if (command == null || command.isBlank()) {
      return Future.succeededFuture(ToolResult.error("command is required unless restart is true"));
    }
    return execute(session, command, timeoutMs, cancellation);
  }

  private Future<ToolResult> execute(SandboxSession session, String command, Long timeoutMs, Cancellation c) {
    var timeout = session.spec().limits().timeoutFor(timeoutMs);
    return session.shell(command, timeout, c).map(r -> {
      String out = r.stdout().render();
      return switch (r.ending()) {
        case EXITED -> r.exitCode() == 0
            ? ToolResult.text(out.isEmpty() ? "(no output)" : out)
            : ToolResult.error(out + (out.isEmpty() || out.endsWith("\n") ? "" : "\n") + "[exit code: " + r.exitCode() + "]");
        case TIMED_OUT -> ToolResult.error(out + "\n[command timed out after " + timeout.toMillis()
            + " ms; all of its processes were killed and the shell restarts on the next call]");
        case CANCELLED -> ToolResult.error(out + "\n[command interrupted; all of its processes were killed and "
            + "the shell restarts on the next call]");
        case PROCESS_LIMIT -> ToolResult.error(out + "\n[the command started more than "
            + session.spec().limits().processes() + " processes; all of them were killed and the shell restarts on the "
            + "next call]");
        case SHELL_EXITED -> new ToolResult(ToolResult.text(out + "\n[the shell exited with status " + r.exitCode()
            + "; a fresh shell starts on the next call]").content(), r.exitCode() != 0);
      };
    });
  }
}
