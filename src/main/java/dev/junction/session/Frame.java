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
    // Head and body are encoded apart and copied once into the frame: the JSON is most of the bytes.
    byte[] head = ("event: " + type + (id != null ? "\nid: " + id : "") + "\ndata: ").getBytes(StandardCharsets.UTF_8);
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    byte[] frame = new byte[head.length + body.length + 2];
    System.arraycopy(head, 0, frame, 0, head.length);
    System.arraycopy(body, 0, frame, head.length, body.length);
    frame[frame.length - 2] = '\n';
    frame[frame.length - 1] = '\n';
    return new Frame(seq, type, frame);
  }

  public Buffer buffer() {
    return Buffer.buffer(bytes);
  }
}
