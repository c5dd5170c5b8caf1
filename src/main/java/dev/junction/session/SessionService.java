package dev.junction.session;

import dev.junction.store.CommitListener;
import dev.junction.store.Ids;
import dev.junction.store.SessionChange;
import dev.junction.store.SessionCommit;
import dev.junction.store.Store;
import dev.junction.store.StoreConflictException;
import dev.junction.store.StoredEvent;
import dev.junction.store.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Session writes with their rules: events are appended only to live sessions, every change to the
 * session row and the log it implies commit together, and deletion ends every open stream.
 */
public final class SessionService {
  private final Store store;
  private final EventHub hub;
  private final Clock clock;

  public SessionService(Store store, EventHub hub, Clock clock) {
    this.store = store;
    this.hub = hub;
    this.clock = clock;
    store.onCommit(new CommitListener() {
      @Override
      public void committed(String tenant, String sessionId, List<StoredEvent> events) {
        hub.committed(tenant, sessionId, events);
      }

      @Override
      public boolean wants(String sessionId) {
        return hub.hasSubscribers(sessionId);
      }

      @Override
      public void deletedElsewhere(String tenant, String sessionId) {
        hub.end(sessionId, Frame.transientEvent(deletedEvent()));
      }
    });
  }

  public EventHub hub() {
    return hub;
  }

  public Clock clock() {
    return clock;
  }

  /** Gives each event an id and {@code processed_at}, keeping the fields the client sent. */
  public List<JsonObject> stamp(List<JsonObject> events) {
    long now = clock.millis();
    String ts = Timestamps.format(now);
    List<JsonObject> out = new ArrayList<>(events.size());
    for (JsonObject e : events) {
      JsonObject copy = new JsonObject().put("type", e.getString("type")).put("id", Ids.nextUnguarded("sevt", now));
      copy.mergeIn(e.copy().put("type", e.getString("type")));
      copy.put("processed_at", ts);
      out.add(copy);
    }
    return out;
  }

  public Future<SessionCommit> create(String tenant, JsonObject session, long createdAt, List<JsonObject> initialEvents) {
    return store.createSession(tenant, session, createdAt, stamp(initialEvents));
  }

  /**
   * Appends client events to a live session.
   *
   * @return the commit, or empty if there is no such session for the tenant
   */
  public Future<Optional<SessionCommit>> send(String tenant, String sessionId, List<JsonObject> events) {
    List<JsonObject> stamped = stamp(events);
    String ts = stamped.isEmpty() ? Timestamps.format(clock.millis()) : stamped.get(0).getString("processed_at");
    return store.commit(tenant, sessionId, session -> {
      requireWritable(session);
      return new SessionChange(session.put("updated_at", ts), stamped);
    });
  }

  /** Applies a change to the session document and appends the events it returns, atomically. */
  public Future<Optional<SessionCommit>> change(String tenant, String sessionId,
                                                java.util.function.Function<JsonObject, SessionChange> change) {
    return store.commit(tenant, sessionId, change);
  }

  public Future<Optional<JsonObject>> update(String tenant, String sessionId, UnaryOperator<JsonObject> change) {
    return store.commit(tenant, sessionId, s -> new SessionChange(change.apply(s), List.of()))
        .map(o -> o.map(SessionCommit::session));
  }

  /** Deletes a session and its log, then tells every open stream with a final {@code session.deleted}. */
  public Future<Optional<JsonObject>> delete(String tenant, String sessionId) {
    return store.deleteSession(tenant, sessionId).map(deleted -> {
      if (deleted.isPresent()) {
        hub.end(sessionId, Frame.transientEvent(deletedEvent()));
      }
      return deleted;
    });
  }

  private JsonObject deletedEvent() {
    long now = clock.millis();
    return new JsonObject().put("type", "session.deleted").put("id", Ids.nextUnguarded("sevt", now)).put("processed_at", Timestamps.format(now));
  }

  /** Archived and terminated sessions are read-only; the store aborts the write when this throws. */
  public static void requireWritable(JsonObject session) {
    if (session.getString("archived_at") != null) {
      throw new StoreConflictException("session_archived", "session " + session.getString("id")
          + " is archived; events can no longer be sent to it");
    }
    if ("terminated".equals(session.getString("status"))) {
      throw new StoreConflictException("session_terminated", "session " + session.getString("id")
          + " is terminated; events can no longer be sent to it");
    }
  }
}
