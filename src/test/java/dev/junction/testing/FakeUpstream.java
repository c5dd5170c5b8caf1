package dev.junction.testing;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scriptable upstream model server on a random local port, for tests that talk real HTTP.
 *
 * <pre>
 * FakeUpstream.start(vertx).onSuccess(upstream -> upstream
 *     .enqueue(Reply.fixture("anthropic/stream_text.sse"))       // replies in sequence...
 *     .enqueue(Reply.fixture("anthropic/error_529_overloaded.json"))
 *     .otherwise(Reply.status(404)));                                // ...then this one
 * upstream.baseUrl();   // http://127.0.0.1:port, for any provider kind
 * upstream.requests();  // what it received: method, path, headers, body
 * upstream.resets();    // a future completed when a client abandons a reply mid-way
 * upstream.close();
 * </pre>
 *
 * A {@link Reply} serves a fixture from {@code manifest.json} (its status, headers and bytes;
 * streams dripped in small chunks) or a scripted body, and can answer late, hang before answering,
 * stall after N bytes or cut the connection after N bytes. Every method is safe to call from the test thread.
 */
public final class FakeUpstream {
  private final Vertx vertx;
  private final HttpServer server;
  private final Deque<Reply> script = new ArrayDeque<>();
  private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
  private final List<Promise<Received>> resetWaiters = new ArrayList<>();
  private final List<Received> resets = new ArrayList<>();
  private Reply fallback = Reply.status(404).body("{\"error\":{\"type\":\"not_found_error\",\"message\":\"no scripted reply\"}}");

  /**
   * A request the server received; {@code clientPort} identifies the connection it came on, so a
   * test can tell a reused keep-alive connection from a new one; {@code version} is the HTTP
   * version it used.
   */
  public record Received(String method, String path, Map<String, String> headers, Buffer body, int clientPort,
      HttpVersion version) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  private final boolean tls;

  private FakeUpstream(Vertx vertx, HttpServerOptions options) {
    this.vertx = vertx;
    this.server = vertx.createHttpServer(options);
    this.tls = options.isSsl();
  }

  /** Starts a plain HTTP/1.1 server on a random port of 127.0.0.1. */
  public static Future<FakeUpstream> start(Vertx vertx) {
    return listen(new FakeUpstream(vertx, new HttpServerOptions()));
  }

  /**
   * Starts a TLS server offering HTTP/2 and HTTP/1.1 by ALPN, with {@code certificate} (create
   * one with {@code SelfSignedCertificate.create("localhost")} and trust its
   * {@code certificatePath()} on the client). Its base URL uses the host name {@code localhost}.
   */
  public static Future<FakeUpstream> startTls(Vertx vertx, SelfSignedCertificate certificate) {
    HttpServerOptions options = new HttpServerOptions().setSsl(true).setUseAlpn(true)
        .setKeyCertOptions(certificate.keyCertOptions());
    return listen(new FakeUpstream(vertx, options));
  }

  private static Future<FakeUpstream> listen(FakeUpstream upstream) {
    return upstream.server.requestHandler(upstream::handle).listen(0, "127.0.0.1").map(s -> upstream);
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code http://127.0.0.1:<port>} (or {@code https://localhost:<port>}): a base URL for any provider kind. */
  public String baseUrl() {
    return tls ? "https://localhost:" + port() : "http://127.0.0.1:" + port();
  }

  /** Adds a reply to the script; requests take scripted replies in order. */
  public synchronized FakeUpstream enqueue(Reply reply) {
    script.add(reply);
    return this;
  }

  /** The reply once the script is used up (by default a 404). */
  public synchronized FakeUpstream otherwise(Reply reply) {
    fallback = reply;
    return this;
  }

  /** Every request received so far, oldest first. */
  public List<Received> requests() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  public Received lastRequest() {
    List<Received> all = requests();
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  /**
   * Completes when a client closes or resets a connection while a reply to it is unfinished, with
   * the request whose reply was abandoned. Already-seen resets complete it at once.
   */
  public synchronized Future<Received> resets() {
    if (!resets.isEmpty()) {
      return Future.succeededFuture(resets.get(0));
    }
    Promise<Received> promise = Promise.promise();
    resetWaiters.add(promise);
    return promise.future();
  }

  public Future<Void> close() {
    return server.close();
  }

  private synchronized Reply next() {
    return script.isEmpty() ? fallback : script.poll();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      Map<String, String> headers = new LinkedHashMap<>();
      MultiMap all = request.headers();
      all.forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
      Received rec = new Received(request.method().name(), request.path(), headers, body,
          request.remoteAddress().port(), request.version());
      received.add(rec);
      Reply reply = next();
      if (reply.delayMs() > 0) {
        vertx.setTimer(reply.delayMs(), id -> serve(request, rec, reply));
      } else {
        serve(request, rec, reply);
      }
    });
  }

  private void serve(HttpServerRequest request, Received rec, Reply reply) {
    HttpServerResponse response = request.response();
    Runnable onAbandon = () -> {
      if (!response.ended()) {
        abandoned(rec);
      }
    };
    request.connection().closeHandler(v -> onAbandon.run());
    // on HTTP/2 a client reset closes the stream only: the request reports it
    request.exceptionHandler(t -> onAbandon.run());
    response.closeHandler(v -> onAbandon.run());
    response.exceptionHandler(t -> onAbandon.run());
    if (reply.hang()) {
      return;
    }
    response.setStatusCode(reply.status());
    reply.headers().forEach(response::putHeader);
    Buffer body = reply.body();
    int limit = reply.cutAfter() >= 0 ? Math.min(reply.cutAfter(), body.length())
        : reply.stallAfter() >= 0 ? Math.min(reply.stallAfter(), body.length()) : body.length();
    boolean complete = limit == body.length() && reply.cutAfter() < 0 && reply.stallAfter() < 0;
    if (complete && reply.chunkSize() <= 0) {
      response.end(body);
      return;
    }
    response.setChunked(true);
    write(request, response, body, 0, limit, reply, complete);
  }

  private void write(HttpServerRequest request, HttpServerResponse response, Buffer body, int from, int limit,
      Reply reply, boolean complete) {
    if (response.closed()) {
      return;
    }
    if (from >= limit) {
      if (complete) {
        response.end();
      } else if (reply.cutAfter() >= 0) {
        // an abrupt close with the reply unfinished: what a crashed upstream or a dropped link looks like
        request.connection().close();
      }
      // a stall just stops writing and leaves the connection open
      return;
    }
    int size = reply.chunkSize() > 0 ? reply.chunkSize() : limit - from;
    int to = Math.min(limit, from + size);
    response.write(body.getBuffer(from, to));
    if (reply.chunkDelayMs() > 0) {
      vertx.setTimer(reply.chunkDelayMs(), id -> write(request, response, body, to, limit, reply, complete));
    } else {
      write(request, response, body, to, limit, reply, complete);
    }
  }

  private void abandoned(Received rec) {
    List<Promise<Received>> waiters;
    synchronized (this) {
      if (resets.contains(rec)) {
        return;
      }
      resets.add(rec);
      waiters = new ArrayList<>(resetWaiters);
      resetWaiters.clear();
    }
    waiters.forEach(p -> p.tryComplete(rec));
  }

  /**
   * One scripted reply. Immutable; the {@code with*}-style methods return copies.
   *
   * @param chunkSize write the body in pieces of this many bytes (0: one write)
   * @param chunkDelayMs pause between pieces, so they reach the client as separate reads
   * @param cutAfter close the connection after this many body bytes (-1: never)
   * @param stallAfter stop writing after this many body bytes and keep the connection open (-1: never)
   * @param hang accept the request and never answer
   * @param delayMs wait this long before answering (a slow first byte that does come)
   */
  public record Reply(int status, Map<String, String> headers, Buffer body, int chunkSize, long chunkDelayMs,
      int cutAfter, int stallAfter, boolean hang, long delayMs) {

    public Reply {
      headers = Map.copyOf(headers);
    }

    /** The fixture's status, headers and bytes from manifest.json; streams drip in 16-byte chunks. */
    public static Reply fixture(String file) {
      Fixtures.Entry entry = Fixtures.entry(file);
      return new Reply(entry.status(), entry.headers(), Fixtures.bytes(file), entry.stream() ? 16 : 0, 0, -1, -1, false, 0);
    }

    public static Reply status(int status) {
      return new Reply(status, Map.of("content-type", "application/json"), Buffer.buffer(), 0, 0, -1, -1, false, 0);
    }

    /** Accepts the request and never sends a byte. */
    public static Reply hangs() {
      return new Reply(200, Map.of(), Buffer.buffer(), 0, 0, -1, -1, true, 0);
    }

    public Reply body(String text) {
      return body(Buffer.buffer(text));
    }

    public Reply body(Buffer bytes) {
      return new Reply(status, headers, bytes, chunkSize, chunkDelayMs, cutAfter, stallAfter, hang, delayMs);
    }

    public Reply header(String name, String value) {
      Map<String, String> copy = new LinkedHashMap<>(headers);
      copy.put(name, value);
      return new Reply(status, copy, body, chunkSize, chunkDelayMs, cutAfter, stallAfter, hang, delayMs);
    }

    public Reply drip(int size, long delayMs) {
      return new Reply(status, headers, body, size, delayMs, cutAfter, stallAfter, hang, this.delayMs);
    }

    public Reply cutAfter(int bytes) {
      return new Reply(status, headers, body, chunkSize, chunkDelayMs, bytes, -1, hang, delayMs);
    }

    public Reply stallAfter(int bytes) {
      return new Reply(status, headers, body, chunkSize, chunkDelayMs, -1, bytes, hang, delayMs);
    }

    /** Answers only after {@code ms} milliseconds. */
    public Reply after(long ms) {
      return new Reply(status, headers, body, chunkSize, chunkDelayMs, cutAfter, stallAfter, hang, ms);
    }
  }
}
