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
 */
public record SessionChange(JsonObject session, List<JsonObject> events, String leaseHolder) {

  public SessionChange(JsonObject session, List<JsonObject> events) {
    this(session, events, null);
  }
}
