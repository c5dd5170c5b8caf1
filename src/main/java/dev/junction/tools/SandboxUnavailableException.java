package dev.junction.tools;

/**
 * Raised by {@link Sandbox#open} when no jail can be made here. The message is meant for a
 * {@code session.error}: it says what is missing and how to fix it.
 */
public final class SandboxUnavailableException extends RuntimeException {
  public SandboxUnavailableException(String reason) {
    super(reason);
  }
}
