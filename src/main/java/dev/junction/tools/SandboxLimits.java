package dev.junction.tools;

import java.time.Duration;

/**
 * What one session's jail may consume.
 *
 * @param outputBytes    most bytes of a command's output kept for the model; the rest is counted,
 *                       discarded and reported with a truncation marker
 * @param defaultTimeout how long a command runs when the call names no {@code timeout_ms}
 * @param maxTimeout     ceiling on any requested {@code timeout_ms}
 * @param fileSizeBytes  largest file a jailed process may write ({@code ulimit -f}), so a runaway
 *                       writer cannot fill the gateway's disk with one file
 * @param cpuSeconds     CPU seconds per jailed process ({@code ulimit -t}); bounds background spinners
 *                       that outlive the command that started them
 * @param processes      processes per jail: {@code ulimit -u} in the kernel, and, when the gateway runs
 *                       as root (which the kernel exempts from that limit), a watchdog that kills a
 *                       jail with more
 * @param tmpBytes       size of the jail's private {@code /tmp}, which lives in memory
 */
public record SandboxLimits(int outputBytes, Duration defaultTimeout, Duration maxTimeout,
                            long fileSizeBytes, long cpuSeconds, int processes, long tmpBytes) {

  public SandboxLimits {
    if (outputBytes < 1024) {
      throw new IllegalArgumentException("outputBytes must be at least 1024, got " + outputBytes);
    }
    if (defaultTimeout.isNegative() || defaultTimeout.isZero() || maxTimeout.compareTo(defaultTimeout) < 0) {
      throw new IllegalArgumentException("need 0 < defaultTimeout <= maxTimeout");
    }
  }

  /** @return limits fit for a coding agent on a small machine */
  public static SandboxLimits defaults() {
    return new SandboxLimits(64 * 1024, Duration.ofMinutes(2), Duration.ofMinutes(10),
        1L << 30, 3600, 1024, 256L << 20);
  }

  /** @return these limits with another output cap */
  public SandboxLimits withOutputBytes(int bytes) {
    return new SandboxLimits(bytes, defaultTimeout, maxTimeout, fileSizeBytes, cpuSeconds, processes, tmpBytes);
  }

  /** @return these limits with another process cap */
  public SandboxLimits withProcesses(int max) {
    return new SandboxLimits(outputBytes, defaultTimeout, maxTimeout, fileSizeBytes, cpuSeconds, max, tmpBytes);
  }

  /** @return these limits with other timeouts */
  public SandboxLimits withTimeouts(Duration dflt, Duration max) {
    return new SandboxLimits(outputBytes, dflt, max, fileSizeBytes, cpuSeconds, processes, tmpBytes);
  }

  /**
   * @param requestedMs a tool call's {@code timeout_ms}, or null
   * @return the timeout to apply: the default when none was asked, never above the ceiling
   */
  public Duration timeoutFor(Long requestedMs) {
    if (requestedMs == null || requestedMs <= 0) {
      return defaultTimeout;
    }
    Duration asked = Duration.ofMillis(requestedMs);
    return asked.compareTo(maxTimeout) > 0 ? maxTimeout : asked;
  }
}
