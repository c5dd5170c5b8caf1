package dev.junction.testing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The upstream fixtures under {@code src/test/resources/fixtures/upstreams}, read from the class
 * path, with their {@code manifest.json} entries (status, headers to send, stream flag).
 */
public final class Fixtures {
  private static final String ROOT = "fixtures/upstreams/";
  private static volatile Map<String, Entry> manifest;

  /** One manifest entry; {@code status} is 0 for request examples. */
  public record Entry(String file, String endpoint, String scenario, int status, boolean stream,
      Map<String, String> headers) {
  }

  private Fixtures() {
  }

  public static Buffer bytes(String file) {
    try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(ROOT + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + file + " under " + ROOT);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonObject json(String file) {
    return new JsonObject(bytes(file));
  }

  public static Entry entry(String file) {
    Entry entry = manifest().get(file);
    if (entry == null) {
      throw new IllegalArgumentException("manifest.json has no entry for " + file);
    }
    return entry;
  }

  public static List<Entry> all() {
    return new ArrayList<>(manifest().values());
  }

  private static Map<String, Entry> manifest() {
    if (manifest == null) {
      JsonArray entries = json("manifest.json").getJsonArray("fixtures");
      Map<String, Entry> out = new LinkedHashMap<>();
      for (int i = 0; i < entries.size(); i++) {
        JsonObject e = entries.getJsonObject(i);
        Map<String, String> headers = new LinkedHashMap<>();
        e.getJsonObject("headers", new JsonObject()).forEach(h -> headers.put(h.getKey(), String.valueOf(h.getValue())));
        Integer status = e.getInteger("status");
        out.put(e.getString("file"), new Entry(e.getString("file"), e.getString("endpoint"), e.getString("scenario"),
            status == null ? 0 : status, Boolean.TRUE.equals(e.getBoolean("stream")), headers));
      }
      manifest = out;
    }
    return manifest;
  }
}
