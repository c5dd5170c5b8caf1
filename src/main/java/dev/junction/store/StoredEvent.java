package dev.junction.store;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * One event of a session's log as persisted.
 *
 * @param sessionId   owning session
 * @param seq         per-session sequence, starting at 1, without gaps
 * @param id          the {@code sevt_} id clients see
 * @param type        the event type, e.g. {@code user.message}
 * @param processedAt epoch milliseconds
 * @param json        the event object exactly as clients see it
 * @param text        {@code json} as the store encoded it, or null: a store that already has the text (it
 *                    wrote or read it) passes it on so the stream and the API need not encode the event
 *                    again; it is a cache, not part of the value, and takes no part in equality
 */
public record StoredEvent(String sessionId, long seq, String id, String type, long processedAt, JsonObject json, String text) {

  /** An event without its encoded text. */
  public StoredEvent(String sessionId, long seq, String id, String type, long processedAt, JsonObject json) {
    this(sessionId, seq, id, type, processedAt, json, null);
  }

  /** @return the event encoded as JSON: the store's text when it has one, else a fresh encoding */
  public String jsonText() {
    return text != null ? text : json.encode();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredEvent e && seq == e.seq && processedAt == e.processedAt && Objects.equals(sessionId, e.sessionId)
        && Objects.equals(id, e.id) && Objects.equals(type, e.type) && Objects.equals(json, e.json);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sessionId, seq, id, type, processedAt, json);
  }
}
