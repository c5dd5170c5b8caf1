package dev.junction.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Sessions and their event logs. A session's row and its log change together in one transaction:
 * an append that fails leaves neither written, so status and log never disagree.
 */
public interface SessionStore {

  /**
   * Creates a session and appends its initial events atomically.
   *
   * @param session the full session document (with {@code id}, {@code status}, {@code agent.id}, ...)
   * @param events  initial events, already carrying ids, types and {@code processed_at}
   * @return the committed session and events
   */
  Future<SessionCommit> createSession(String tenant, JsonObject session, long createdAtMillis, List<JsonObject> events);

  /**
   * Runs a change against the current session inside the write transaction and appends the events
   * it returns. The change may throw to abort without writing anything. It receives a copy of the
   * session's top level: it may put and remove top-level fields, but must copy a nested object
   * before changing it.
   *
   * @return the commit, or empty if no such session
   */
  Future<Optional<SessionCommit>> commit(String tenant, String sessionId, Function<JsonObject, SessionChange> change);

  Future<Optional<JsonObject>> session(String tenant, String sessionId);

  Future<Page<JsonObject>> listSessions(String tenant, ListQuery query);

  /**
   * Deletes a session and its log.
   *
   * @return the deleted session document, or empty if none
   */
  Future<Optional<JsonObject>> deleteSession(String tenant, String sessionId);

  /** Lists a session's events by sequence; empty if no such session. */
  Future<Optional<Page<StoredEvent>>> listEvents(String tenant, String sessionId, ListQuery query);

  /**
   * Events with a sequence greater than {@code afterSeq}, at most {@code limit}, for stream resumption.
   */
  Future<List<StoredEvent>> eventsAfter(String sessionId, long afterSeq, int limit);

  /**
   * Sessions in any of these statuses, across tenants: the runners to resume after a restart.
   *
   * @return (tenant, session id) pairs
   */
  Future<List<SessionKey>> sessionsWithStatus(java.util.Set<String> statuses);

  /** Finds one event by id within a session. */
  Future<Optional<StoredEvent>> event(String tenant, String sessionId, String eventId);
}
