package dev.junction.tools;

/**
 * Whether a sandbox can run jails on this machine.
 *
 * @param available true when a probe jail ran
 * @param reason    when unavailable, a sentence an operator can act on; empty otherwise
 */
public record SandboxAvailability(boolean available, String reason) {
  public static SandboxAvailability ok() {
    return new SandboxAvailability(true, "");
  }

  public static SandboxAvailability unavailable(String reason) {
    return new SandboxAvailability(false, reason);
  }
}
