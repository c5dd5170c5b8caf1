package dev.junction.store;

import io.vertx.core.Future;

import java.util.List;

/**
 * Moves every record of a store out, and into another store, for {@code junction export} and
 * {@code junction import}. Reading pages through one consistent snapshot; loading is one
 * transaction, so an import either commits whole or leaves the target as it was.
 *
 * <p>Records come in load order: every {@link StoreRecord.Agent}, then every
 * {@link StoreRecord.AgentVersion}, {@link StoreRecord.Document}, {@link StoreRecord.Session}, and
 * {@link StoreRecord.Event}; a loader needs an agent before its versions and a session before its
 * events. Futures may complete on any thread: callers are command-line threads, never event loops.
 */
public interface Transfer {

  /** @return {@code sqlite} or {@code postgres}, as an export file's header names its source */
  String type();

  /** @return where the records live, for messages (never a password) */
  String location();

  /**
   * Opens a consistent snapshot of the whole store.
   *
   * @return a reader over that snapshot; writes committed after it opened are not seen
   */
  Future<Reader> read();

  /**
   * Starts the load transaction, creating the schema if the store has none yet.
   *
   * @param merge false: fail, naming {@link #location()} and what it holds, unless the store is empty;
   *              true: add to what is there (any record whose id already exists fails the whole load)
   * @return a loader holding the open transaction
   */
  Future<Loader> load(boolean merge);

  /** Releases connections and threads; any reader or loader still open is abandoned. */
  Future<Void> close();

  /** Records of one snapshot, page by page. */
  interface Reader {

    /** @return the next records in load order, at most one page; empty once every record was read */
    Future<List<StoreRecord>> next();

    /** Ends the snapshot. */
    Future<Void> close();
  }

  /** One open load transaction. */
  interface Loader {

    /**
     * Writes records inside the transaction; nothing is visible to others before {@link #commit}.
     *
     * @param records in load order, continuing the previous batch
     */
    Future<Void> write(List<StoreRecord> records);

    /** Commits everything written; the loader is closed afterwards. */
    Future<Void> commit();

    /** Discards everything written; the loader is closed afterwards. Safe to call after a failure. */
    Future<Void> rollback();
  }
}
