package dev.junction.store;

import java.util.List;

/**
 * Told of events once they are durable. Must not block. Commits made through this node arrive in
 * per-session sequence order; with a store shared by several nodes, commits made elsewhere arrive
 * when their notification does, so a listener that needs every event checks the sequence for gaps
 * and reads the log to fill them (the log is the truth, a notification only a wake-up).
 */
@FunctionalInterface
public interface CommitListener {

  /**
   * @param tenant    the session's owner
   * @param sessionId the session the events belong to
   * @param events    the events just committed, in sequence order
   */
  void committed(String tenant, String sessionId, List<StoredEvent> events);

  /**
   * Whether this listener wants another node's commits to this session; a store shared by several
   * nodes reads them from the log only when some listener does.
   */
  default boolean wants(String sessionId) {
    return true;
  }

  /** Another node deleted the session (deletes made through this node are reported by their caller). */
  default void deletedElsewhere(String tenant, String sessionId) {
  }
}
