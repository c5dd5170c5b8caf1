package dev.junction.routing;

import dev.junction.provider.ContentBlock;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.ToolDefinition;
import java.util.List;

/**
 * Decides whether a complete reply is MALFORMED though it decoded: empty, a tool call to a tool
 * that was not offered, or tool input that fails the tool's {@code input_schema}
 * ({@link SchemaCheck}). The executor applies it to non-streaming replies; a streaming caller
 * applies it to what it accumulated.
 */
public final class ReplyCheck {
  private ReplyCheck() {
  }

  /** @return why the reply is malformed, or null when it is fine */
  public static String problem(ModelResponse response, List<ToolDefinition> tools) {
    boolean substance = false;
    for (ContentBlock block : response.content()) {
      if (block instanceof ContentBlock.ToolUse use) {
        substance = true;
        String problem = toolProblem(use, tools);
        if (problem != null) {
          return problem;
        }
      } else if (block instanceof ContentBlock.Text text) {
        substance |= !text.text().isBlank();
      } else if (!(block instanceof ContentBlock.Thinking) && !(block instanceof ContentBlock.RedactedThinking)) {
        substance = true;
      }
    }
    return substance ? null : "empty reply: no text and no tool call";
  }

  private static String toolProblem(ContentBlock.ToolUse use, List<ToolDefinition> tools) {
    if (tools.isEmpty()) {
      return null; // server tools or a caller that does not tell us its tools: nothing to check against
    }
    for (ToolDefinition tool : tools) {
      if (tool.name().equals(use.name())) {
        List<String> problems = SchemaCheck.problems(tool.inputSchema(), use.input());
        return problems.isEmpty() ? null
            : "tool call '" + use.name() + "' fails its input_schema: " + String.join("; ", problems);
      }
    }
    return "tool call to '" + use.name() + "', which was not offered";
  }
}
