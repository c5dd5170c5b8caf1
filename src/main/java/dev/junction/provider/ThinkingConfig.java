package dev.junction.provider;

/**
 * Extended thinking: {@code type} is enabled (with {@code budgetTokens}), adaptive or disabled.
 * Non-Anthropic encoders map it to a reasoning effort or a chat-template switch.
 */
public record ThinkingConfig(String type, Integer budgetTokens) {
  public static final ThinkingConfig DISABLED = new ThinkingConfig("disabled", null);
  public static final ThinkingConfig ADAPTIVE = new ThinkingConfig("adaptive", null);

  public static ThinkingConfig enabled(int budgetTokens) {
    return new ThinkingConfig("enabled", budgetTokens);
  }

  public boolean isOn() {
    return !"disabled".equals(type);
  }
}
