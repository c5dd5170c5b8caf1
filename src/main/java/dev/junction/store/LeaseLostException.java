package dev.junction.store;

/**
 * A runner's write was refused because its node no longer holds the session's lease: another node
 * took the session over, and only that node may now append the session's turn events.
 */
public final class LeaseLostException extends RuntimeException {
  public LeaseLostException(String sessionId, String node) {
    super("node " + node + " no longer holds the lease of session " + sessionId, null, false, false);
  }
}
