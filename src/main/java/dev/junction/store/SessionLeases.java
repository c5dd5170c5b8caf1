package dev.junction.store;

import io.vertx.core.Future;

import java.util.List;
import java.util.Set;

/**
 * Which node runs a session's turns. A node runs a session only while it holds the session's lease;
 * it renews its leases well within their time to live and releases a lease when the session has
 * nothing left to do. A node that dies stops renewing, its leases expire, and another node takes the
 * session over and resumes it from the log. Times are the caller's clock, in epoch milliseconds.
 */
public interface SessionLeases {

  /** This node's identity, as recorded in the leases it holds. */
  String node();

  /** Whether this node is the only one: every lease is always its own and nothing needs renewing. */
  default boolean singleNode() {
    return false;
  }

  /**
   * Takes the session's lease if it is free, expired, or already this node's.
   *
   * @return whether this node now holds it
   */
  Future<Boolean> acquire(String tenant, String sessionId, long nowMillis, long ttlMillis);

  /** Gives up this node's lease on the session; nothing happens if another node holds it. */
  Future<Void> release(String sessionId);

  /**
   * Extends the leases this node holds on these sessions.
   *
   * @return those of them whose lease another node has taken over (after this node failed to renew in
   *     time): this node must stop running them and must not write to them
   */
  Future<Set<String>> renew(Set<String> held, long nowMillis, long ttlMillis);

  /**
   * Sessions that need a runner and have none: those whose lease expired (their node died or stalled,
   * perhaps after input arrived that another node could not run), and running or rescheduling ones
   * that hold no lease at all.
   */
  Future<List<SessionKey>> orphaned(long nowMillis);

  /** Leases for a single node: the embedded store serves one gateway, which always holds every lease. */
  static SessionLeases local() {
    return new SessionLeases() {
      @Override
      public String node() {
        return "local";
      }

      @Override
      public Future<Boolean> acquire(String tenant, String sessionId, long nowMillis, long ttlMillis) {
        return Future.succeededFuture(true);
      }

      @Override
      public Future<Void> release(String sessionId) {
        return Future.succeededFuture();
      }

      @Override
      public Future<Set<String>> renew(Set<String> held, long nowMillis, long ttlMillis) {
        return Future.succeededFuture(Set.of());
      }

      @Override
      public boolean singleNode() {
        return true;
      }

      @Override
      public Future<List<SessionKey>> orphaned(long nowMillis) {
        return Future.succeededFuture(List.of());
      }
    };
  }
}
