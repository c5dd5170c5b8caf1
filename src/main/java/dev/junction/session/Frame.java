package dev.junction.session;

import dev.junction.store.StoredEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/**
 * One SSE frame, encoded once and shared by every subscriber: {@code event:} equal to {@code data.type}
 * (SDKs drop frames without it), {@code id:} for resumption, then the JSON.
 *
 * @param seq   the event's sequence, or 0 for frames that are not persisted (pings, previews)
 * @param type  the event type
 * @param bytes the encoded frame
 */
public record Frame(long seq, String type, byte[] bytes) {

  /** The frame of a committed event; the store's encoding of it is reused when it has one. */
  public static Frame of(StoredEvent e) {
    return encode(e.seq(), e.type(), e.id(), e.jsonText());
  }

  public static Frame transientEvent(JsonObject json) {
    return encode(0, json.getString("type"), null, json.encode());
  }

  private static Frame encode(long seq, String type, String id, String json) {
    StringBuilder sb = new StringBuilder(json.length() + type.length() + 48).append("event: ").append(type).append('\n');
    if (id != null) {
      sb.append("id: ").append(id).append('\n');
    }
    sb.append("data: ").append(json).append("\n\n");
    return new Frame(seq, type, sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  public Buffer buffer() {
    return Buffer.buffer(bytes);
  }
}
