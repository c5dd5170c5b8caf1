package dev.junction.store;

import io.vertx.core.json.JsonObject;

/**
 * One event of a session's log as persisted.
 *
 * @param sessionId   owning session
 * @param seq         per-session sequence, starting at 1, without gaps
 * @param id          the {@code sevt_} id clients see
 * @param type        the event type, e.g. {@code user.message}
 * @param processedAt epoch milliseconds
 * @param json        the event object exactly as clients see it
 */
public record StoredEvent(String sessionId, long seq, String id, String type, long processedAt, JsonObject json) {
}
