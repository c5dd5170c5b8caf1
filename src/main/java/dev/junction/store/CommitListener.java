package dev.junction.store;

import java.util.List;

/** Told of events once they are durable; called in per-session sequence order. Must not block. */
@FunctionalInterface
public interface CommitListener {

  /**
   * @param tenant    the session's owner
   * @param sessionId the session the events belong to
   * @param events    the events just committed, in sequence order
   */
  void committed(String tenant, String sessionId, List<StoredEvent> events);
}
