package dev.junction.harness;

import java.time.Duration;

/**
 * Agent-loop settings.
 *
 * @param maxTokens        output budget per model call
 * @param maxRetries       model-call retries (rescheduling) before {@code retries_exhausted}
 * @param retryBase        first backoff; doubled per retry
 * @param retryMax         backoff cap
 * @param compactAtFraction compact when the estimated context exceeds this fraction of the model's window
 * @param compactAtTokens  when positive, compact above this many estimated tokens whatever the model
 * @param leaseTtl         on a store shared by several nodes: how long a session's lease lasts unrenewed;
 *                         leases are renewed every third of it and orphaned sessions looked for every quarter
 */
public record HarnessSettings(int maxTokens, int maxRetries, Duration retryBase, Duration retryMax, double compactAtFraction,
                              long compactAtTokens, Duration leaseTtl) {
  public static final HarnessSettings DEFAULTS = new HarnessSettings(8192, 3, Duration.ofSeconds(2), Duration.ofSeconds(30), 0.8, 0,
      Duration.ofSeconds(15));

  /** Context windows by model family, in tokens; a model not listed is assumed to have 128k. */
  public static long contextWindow(String model) {
    if (model.startsWith("claude")) {
      return 200_000;
    }
    if (model.startsWith("gpt-5") || model.startsWith("gpt-4.1")) {
      return 400_000;
    }
    if (model.startsWith("qwen")) {
      return 32_768;
    }
    return 128_000;
  }

  /** The estimated context size at which older turns are summarised. */
  public long compactionThreshold(String model) {
    return compactAtTokens > 0 ? compactAtTokens : (long) (contextWindow(model) * compactAtFraction);
  }
}
