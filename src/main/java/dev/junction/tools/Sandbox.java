package dev.junction.tools;

import io.vertx.core.Future;

/**
 * Makes per-session jails in which built-in tools run. A jail sees the session's workspace at
 * {@code /workspace} (its cwd) and its outputs at {@code /mnt/session/outputs}, read-only system
 * directories, a private {@code /tmp}, a clean environment, and the network only when the spec allows
 * it; nothing else of the host, and in particular nothing of the gateway's data directory or keys.
 *
 * <p>Implementations never block the calling thread: process I/O runs on threads of their own.
 */
public interface Sandbox {

  /**
   * Checks, once, whether jails can be made here (the binary exists and a probe jail runs).
   *
   * @return availability with an actionable reason when not; never a failed future
   */
  Future<SandboxAvailability> available();

  /**
   * Opens the jail of one session, creating its host directories if needed. Opening is cheap; the
   * persistent shell starts on the first bash call.
   *
   * @param spec the session's directories, network and limits
   * @return the open session, or a failure with {@link SandboxUnavailableException} when
   *         {@link #available()} says no
   */
  Future<SandboxSession> open(SandboxSpec spec);
}
