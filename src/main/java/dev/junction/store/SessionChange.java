package dev.junction.store;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What a {@link SessionStore#commit} change decides.
 *
 * @param session     the new session document, or the same instance when unchanged
 * @param events      events to append in order (ids, types and {@code processed_at} already set)
 * @param leaseHolder for a runner's write, the node that must still hold the session's lease for the
 *                    write to commit (a store shared by several nodes fails it with
 *                    {@link LeaseLostException} otherwise); null for client writes
 * @param texts       the events' JSON text, one per event, encoded by the caller off the store's thread
 *                    (the store's writer is the one thread every commit waits for); null to have the
 *                    store encode them. The events must not change after they were encoded.
 */
public record SessionChange(JsonObject session, List<JsonObject> events, String leaseHolder, List<String> texts) {

  public SessionChange {
    if (texts != null && texts.size() != events.size()) {
      throw new IllegalArgumentException(texts.size() + " texts for " + events.size() + " events");
    }
  }

  public SessionChange(JsonObject session, List<JsonObject> events, String leaseHolder) {
    this(session, events, leaseHolder, null);
  }

  public SessionChange(JsonObject session, List<JsonObject> events) {
    this(session, events, null, null);
  }
}
