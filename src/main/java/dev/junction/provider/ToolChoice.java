package dev.junction.provider;

/**
 * Anthropic's tool_choice: {@code type} is auto, any, none or tool (then {@code name} is set).
 * {@code disableParallelToolUse} maps to OpenAI's {@code parallel_tool_calls:false}.
 */
public record ToolChoice(String type, String name, boolean disableParallelToolUse) {
  public static final ToolChoice AUTO = new ToolChoice("auto", null, false);
  public static final ToolChoice ANY = new ToolChoice("any", null, false);
  public static final ToolChoice NONE = new ToolChoice("none", null, false);

  public static ToolChoice tool(String name) {
    return new ToolChoice("tool", name, false);
  }
}
