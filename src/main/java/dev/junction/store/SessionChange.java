package dev.junction.store;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What a {@link SessionStore#commit} change decides.
 *
 * @param session the new session document, or the same instance when unchanged
 * @param events  events to append in order (ids, types and {@code processed_at} already set)
 */
public record SessionChange(JsonObject session, List<JsonObject> events) {
}
