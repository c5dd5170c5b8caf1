package dev.junction.tools;

import dev.junction.provider.Cancellation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** A built-in tool that runs inside the session's jail. */
interface JailedTool {
  /**
   * @param session      the session's open jail
   * @param input        the tool_use input as the model sent it
   * @param cancellation interrupts the call
   * @return the result; input the tool cannot run is an error result, not a failed future
   */
  Future<ToolResult> run(SandboxSession session, JsonObject input, Cancellation cancellation);

  /** Maps a failed one-shot helper to an error result with what it said. */
  static ToolResult failure(ExecResult r, String what) {
    return switch (r.ending()) {
      case TIMED_OUT -> ToolResult.error(what + " timed out");
      case CANCELLED -> ToolResult.error(what + " was interrupted");
      case PROCESS_LIMIT -> ToolResult.error(what + " started too many processes and was killed");
      case EXITED, SHELL_EXITED -> {
        String said = r.stderr().render().trim();
        yield ToolResult.error(said.isEmpty() ? what + " failed with exit status " + r.exitCode() : said);
      }
    };
  }
}
