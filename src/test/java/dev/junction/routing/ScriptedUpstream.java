package dev.junction.routing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fake provider on a loopback port chosen by the OS, scripted by the test: it replays fixture
 * payloads from {@code fixtures/upstreams}, answers with an error status and headers, hangs, answers
 * late, or cuts a stream. It counts requests and the requests the client reset before an answer.
 */
final class ScriptedUpstream {
  /** One way of answering a request. */
  interface Reply {
    void answer(HttpServerRequest request, ScriptedUpstream upstream);
  }

  private final Vertx vertx;
  private HttpServer server;
  private final AtomicReference<Reply> reply = new AtomicReference<>();
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger resets = new AtomicInteger();
  final CountDownLatch firstReset = new CountDownLatch(1);
  final AtomicReference<String> lastBody = new AtomicReference<>();

  private ScriptedUpstream(Vertx vertx, Reply initial) {
    this.vertx = vertx;
    this.reply.set(initial);
  }

  static ScriptedUpstream start(Vertx vertx, Reply initial) {
    ScriptedUpstream upstream = new ScriptedUpstream(vertx, initial);
    upstream.server = vertx.createHttpServer().requestHandler(upstream::handle);
    upstream.server.listen(0, "127.0.0.1").await();
    return upstream;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  void reply(Reply value) {
    reply.set(value);
  }

  Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      requests.incrementAndGet();
      lastBody.set(body.toString(StandardCharsets.UTF_8));
      HttpServerResponse response = request.response();
      response.closeHandler(v -> {
        if (!response.ended()) {
          resets.incrementAndGet();
          firstReset.countDown();
        }
      });
      reply.get().answer(request, this);
    });
  }

  // ---- replies ----

  static String fixture(String path) {
    try (InputStream in = ScriptedUpstream.class.getResourceAsStream("/fixtures/upstreams/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Reply json(int status, String body, Map<String, String> headers) {
    return (request, upstream) -> {
      HttpServerResponse response = request.response().setStatusCode(status).putHeader("content-type",
          "application/json");
      headers.forEach(response::putHeader);
      response.end(body);
    };
  }

  static Reply fixtureJson(int status, String path) {
    return json(status, fixture(path), Map.of());
  }

  /** Sends an SSE body in 7-byte chunks, so line splitting is exercised on every event. */
  static Reply sse(String body) {
    return (request, upstream) -> {
      HttpServerResponse response = request.response().setStatusCode(200).setChunked(true)
          .putHeader("content-type", "text/event-stream");
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < bytes.length; i += 7) {
        response.write(Buffer.buffer().appendBytes(bytes, i, Math.min(7, bytes.length - i)));
      }
      response.end();
    };
  }

  /** 200 and a few bytes that decode to no event, then the connection drops. */
  static Reply cutBeforeFirstEvent() {
    return (request, upstream) -> {
      HttpServerResponse response = request.response().setStatusCode(200).setChunked(true)
          .putHeader("content-type", "text/event-stream");
      response.write("event: message_start\ndata: {\"type\":\"mess").onComplete(v -> request.connection().close());
    };
  }

  /** Never answers; the client must give up. */
  static Reply hang() {
    return (request, upstream) -> {
    };
  }

  static Reply after(long millis, Reply then) {
    return (request, upstream) -> upstream.vertx.setTimer(millis, id -> {
      if (!request.response().closed()) {
        then.answer(request, upstream);
      }
    });
  }
}
