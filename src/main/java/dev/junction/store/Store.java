package dev.junction.store;

import io.vertx.core.Future;

/**
 * The whole persistence SPI. An implementation owns its connections and threads; callers only see
 * {@link Future}s that complete on the context that called.
 */
public interface Store extends AgentStore, DocumentStore, SessionStore {

  /**
   * Opens connections and runs schema migrations.
   *
   * @return a future completed when the store accepts calls
   */
  Future<Void> start();

  /**
   * Flushes pending writes and releases connections.
   *
   * @return a future completed when everything acknowledged is durable and connections are closed
   */
  Future<Void> close();

  /**
   * Registers the listener told of every committed event batch, in commit order per session.
   *
   * @param listener receives events after they are durable
   */
  void onCommit(CommitListener listener);

  /** Session leases: which node runs which session. A store that serves one node grants every lease. */
  default SessionLeases leases() {
    return LOCAL_LEASES;
  }

  /** The leases of a store that serves a single node. */
  SessionLeases LOCAL_LEASES = SessionLeases.local();
}
