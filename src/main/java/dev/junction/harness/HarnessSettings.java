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
 */
public record HarnessSettings(int maxTokens, int maxRetries, Duration retryBase, Duration retryMax, double compactAtFraction) {
  public static final HarnessSettings DEFAULTS = new HarnessSettings(8192, 3, Duration.ofSeconds(2), Duration.ofSeconds(30), 0.8);
}
