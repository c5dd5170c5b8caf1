package dev.junction.testing;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small blocking HTTP client for raw-wire tests (test threads only, never an event loop). */
public final class Http {
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public Http(String base) {
    this.base = base;
  }

  public record Reply(int status, java.net.http.HttpHeaders headers, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
  }

  public Reply send(HttpRequest req) {
    try {
      HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Reply get(String path, String key) {
    return send(request(path).header("x-api-key", key).GET().build());
  }

  public Reply post(String path, String key, String json) {
    return send(request(path).header("x-api-key", key).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  public Reply post(String path, String key, JsonObject json) {
    return post(path, key, json.encode());
  }

  public Reply delete(String path, String key) {
    return send(request(path).header("x-api-key", key).DELETE().build());
  }

  public HttpClient client() {
    return client;
  }
}
