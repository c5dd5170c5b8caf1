package dev.junction.provider;

/**
 * Token usage in Anthropic's exclusive form: {@code inputTokens} excludes cache reads and cache
 * writes. OpenAI counts cached tokens inside the prompt, so its adapters subtract them.
 */
public record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
  public static final Usage ZERO = new Usage(0, 0, 0, 0);

  public Usage {
    if (inputTokens < 0 || outputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative");
    }
  }

  /** All prompt tokens, cached or not: what OpenAI calls {@code prompt_tokens}. */
  public long totalInputTokens() {
    return inputTokens + cacheReadTokens + cacheWriteTokens;
  }

  /**
   * From OpenAI's inclusive counts: {@code cached} and {@code cacheWrite} are inside {@code prompt};
   * clamps at zero because some servers report cached tokens above the prompt count.
   */
  public static Usage fromInclusive(long prompt, long cached, long cacheWrite, long output) {
    long input = Math.max(0, prompt - cached - cacheWrite);
    return new Usage(input, output, cached, cacheWrite);
  }
}
