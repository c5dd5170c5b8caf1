package dev.junction.provider;

/** The wire protocol a provider speaks, with the names used in configuration. */
public enum ProviderKind {
  ANTHROPIC("anthropic"),
  OPENAI("openai"),
  OPENAI_RESPONSES("openai-responses"),
  OPENAI_COMPATIBLE("openai-compatible");

  private final String configName;

  ProviderKind(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static ProviderKind fromConfig(String value) {
    for (ProviderKind kind : values()) {
      if (kind.configName.equals(value)) {
        return kind;
      }
    }
    return null;
  }
}
