package dev.junction.provider.http;

import io.vertx.core.buffer.Buffer;
import java.util.Map;

/** An encoded upstream request: path (appended to the base URL), headers and JSON body. */
public record WireRequest(String path, Map<String, String> headers, Buffer body) {
  public WireRequest {
    headers = Map.copyOf(headers);
  }
}
