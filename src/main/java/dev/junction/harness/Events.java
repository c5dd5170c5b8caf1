package dev.junction.harness;

import dev.junction.store.Ids;
import dev.junction.store.Timestamps;
import io.vertx.core.json.JsonObject;

/** Builders of the events the harness appends; every one has an id and {@code processed_at}. */
final class Events {
  private Events() {
  }

  static JsonObject of(String type, long nowMillis) {
    return new JsonObject().put("type", type).put("id", Ids.nextUnguarded("sevt", nowMillis))
        .put("processed_at", Timestamps.format(nowMillis));
  }

  static JsonObject idle(long now, JsonObject stopReason) {
    return of("session.status_idle", now).put("stop_reason", stopReason).putNull("stop_details");
  }

  static JsonObject stop(String type) {
    return new JsonObject().put("type", type);
  }
}
