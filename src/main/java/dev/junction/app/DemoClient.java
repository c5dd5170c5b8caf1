package dev.junction.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The demo's MA client: plain HTTP against the gateway, as curl or an SDK would talk to it, and one
 * session event stream read on its own thread. Blocking; never used on an event loop.
 */
final class DemoClient implements AutoCloseable {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String key;
  private final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
  private InputStream stream;

  DemoClient(String base, String key) {
    this.base = base;
    this.key = key;
  }

  JsonObject post(String path, JsonObject body) {
    return send(request(path, key).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build());
  }

  JsonObject get(String path) {
    return get(path, key);
  }

  JsonObject get(String path, String withKey) {
    return send(request(path, withKey).GET().build());
  }

  String getText(String path) {
    return sendText(request(path, key).GET().build());
  }

  /** Follows the session's event stream from now on; events are read with {@link #next}. */
  void follow(String sessionId) {
    try {
      HttpResponse<InputStream> r = http.send(request("/v1/sessions/" + sessionId + "/events/stream", key).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("event stream answered " + r.statusCode());
      }
      stream = r.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    Thread reader = new Thread(this::read, "demo-events");
    reader.setDaemon(true);
    reader.start();
  }

  /** The next persisted event of the followed session; fails after {@code timeout}. */
  JsonObject next(Duration timeout) {
    try {
      JsonObject e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (e == null) {
        throw new IllegalStateException("no session event within " + timeout.toSeconds() + " s");
      }
      return e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void read() {
    try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(stream, java.nio.charset.StandardCharsets.UTF_8))) {
      StringBuilder data = new StringBuilder();
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("data:")) {
          data.append(line.substring(5).strip());
        } else if (line.isEmpty() && !data.isEmpty()) {
          JsonObject event = new JsonObject(data.toString());
          data.setLength(0);
          if (event.containsKey("id") && event.containsKey("type")) {
            events.add(event);
          }
        }
      }
    } catch (IOException e) {
      // the stream closes when the demo stops
    }
  }

  static JsonObject userMessage(String text) {
    return new JsonObject().put("events", new JsonArray().add(new JsonObject().put("type", "user.message")
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", text)))));
  }

  private HttpRequest.Builder request(String path, String withKey) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).header("x-api-key", withKey);
  }

  private JsonObject send(HttpRequest request) {
    return new JsonObject(sendText(request));
  }

  private String sendText(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " answered " + r.statusCode()
            + ": " + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (stream != null) {
      try {
        stream.close();
      } catch (IOException ignored) {
        // already closed by the server
      }
    }
  }
}
