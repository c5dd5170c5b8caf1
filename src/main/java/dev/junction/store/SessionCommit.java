package dev.junction.store;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The result of a committed session write.
 *
 * @param session the session as committed
 * @param events  the appended events with their sequences
 */
public record SessionCommit(JsonObject session, List<StoredEvent> events) {
}
