package dev.junction.provider;

/**
 * Which OpenAI-compatible server runs a local model; each differs in request fields it reads, where
 * it puts reasoning and how it reports readiness. {@code OLLAMA_NATIVE} uses Ollama's own
 * {@code /api/chat} NDJSON protocol instead of {@code /v1}.
 */
public enum Dialect {
  VLLM("vllm"),
  OLLAMA("ollama"),
  OLLAMA_NATIVE("ollama-native"),
  LLAMACPP("llama.cpp"),
  SGLANG("sglang");

  private final String configName;

  Dialect(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static Dialect fromConfig(String value) {
    for (Dialect dialect : values()) {
      if (dialect.configName.equals(value)) {
        return dialect;
      }
    }
    return null;
  }
}
