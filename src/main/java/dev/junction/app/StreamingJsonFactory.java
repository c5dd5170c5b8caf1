package dev.junction.app;

import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.core.spi.JsonFactory;
import io.vertx.core.spi.json.JsonCodec;

/**
 * Makes Vert.x's own streaming codec the one every {@code JsonObject} encodes and decodes with.
 * With Jackson's databind on the classpath (Junction's YAML configuration reads through it), Vert.x
 * would pick its databind codec, which creates a serializer provider and dispatches on each value's
 * class for every {@code encode()}: the largest single allocation of an agent turn. The gateway
 * puts only JSON values (maps, lists, strings, numbers, booleans) in its objects, which the
 * streaming codec writes directly; it never maps objects to classes ({@code mapFrom}/{@code mapTo}).
 * Registered in {@code META-INF/services}; the lowest {@link #order} wins.
 */
public final class StreamingJsonFactory implements JsonFactory {
  private static final JsonCodec CODEC = new JacksonCodec();

  @Override
  public int order() {
    return 0;
  }

  @Override
  public JsonCodec codec() {
    return CODEC;
  }
}
