package dev.junction.provider.http;

import dev.junction.provider.CallOptions;
import dev.junction.provider.ContextTimers;
import dev.junction.provider.ContextTimers.Timer;
import dev.junction.provider.EventStream;
import dev.junction.provider.FailureClass;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.ProviderException;
import dev.junction.provider.StreamEvent;
import dev.junction.provider.Timeouts;
import dev.junction.provider.wire.StreamDecoder;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One attempt against one endpoint, from request to the last body byte. Everything runs on one
 * Vert.x context: the timers (connect is Vert.x's own; first byte, idle and total are ours), the
 * response handlers and cancellation, so no state here needs locking. The first failure wins;
 * whatever arrives after it is ignored, and the upstream request is reset so the server stops
 * generating tokens nobody will read.
 */
final class UpstreamCall implements UpstreamEventStream.Upstream {
  /** A non-streaming reply larger than this is not a model reply. */
  static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
  /** Error bodies are read up to this size for classification; the rest is dropped. */
  static final int MAX_ERROR_BYTES = 64 * 1024;

  private final Context context;
  private final HttpClient http;
  private final Endpoint endpoint;
  private final WireProtocol protocol;
  private final ModelRequest request;
  private final CallOptions options;
  private final Timeouts timeouts;

  private HttpClientRequest httpRequest;
  private HttpClientResponse response;
  private final ContextTimers timers;
  private Timer totalTimer;
  private Timer firstByteTimer;
  private Timer idleTimer;
  private long lastBytesNanos;
  private boolean idlePaused;
  private boolean finished;
  private boolean responseEnded;
  private Runnable unregisterCancel = () -> { };

  // non-streaming
  private Promise<ModelResponse> replyPromise;
  private Buffer body;

  // streaming
  private Promise<EventStream> streamPromise;
  private UpstreamEventStream stream;
  private StreamDecoder decoder;
  private final Consumer<StreamEvent> sink = this::onEvent;

  UpstreamCall(Context context, HttpClient http, Endpoint endpoint, WireProtocol protocol,
      ModelRequest request, CallOptions options, Timeouts timeouts) {
    this.context = context;
    this.http = http;
    this.endpoint = endpoint;
    this.protocol = protocol;
    this.request = request;
    this.options = options;
    this.timeouts = timeouts;
    this.timers = new ContextTimers(context);
  }

  void send(Promise<ModelResponse> promise) {
    this.replyPromise = promise;
    // a task of its own even on the right context: a call made from the handler of an earlier
    // reply then finds that reply's connection back in the pool
    context.runOnContext(v -> begin());
  }

  void stream(Promise<EventStream> promise) {
    this.streamPromise = promise;
    StreamDecoder relay = protocol.relayDecoder(request, options);
    this.stream = new UpstreamEventStream(context, this, relay != null);
    this.decoder = relay != null ? relay : protocol.streamDecoder(request);
    context.runOnContext(v -> begin());
  }

  private void begin() {
    WireRequest wire;
    try {
      wire = protocol.encode(request, options);
    } catch (RuntimeException e) {
      fail(ProviderException.of(FailureClass.CALLER_FAULT, "request cannot be encoded: " + e.getMessage(), e));
      return;
    }
    if (options.cancellation() != null && options.cancellation().isCancelled()) {
      fail(ProviderException.of(FailureClass.CANCELLED, "the caller cancelled the call before it started"));
      return;
    }
    if (options.cancellation() != null) {
      unregisterCancel = options.cancellation().onCancel(() -> context.runOnContext(v -> cancelUpstream()));
    }
    if (finished) {
      return;
    }
    totalTimer = timer(timeouts.total(), () -> fail(timeout("total time", timeouts.total())));
    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setHost(endpoint.host())
        .setPort(endpoint.port()).setSsl(endpoint.ssl()).setURI(endpoint.path(wire.path()));
    if (timeouts.connect() != null) {
      ro.setConnectTimeout(timeouts.connect().toMillis());
    }
    http.request(ro).onComplete(ar -> {
      if (ar.failed()) {
        fail(TransportFailures.classify(ar.cause()));
        return;
      }
      HttpClientRequest req = ar.result();
      if (finished) {
        req.reset();
        return;
      }
      httpRequest = req;
      for (Map.Entry<String, String> header : wire.headers().entrySet()) {
        req.putHeader(header.getKey(), header.getValue());
      }
      if (stream != null) {
        // a non-streaming reply starts only when generation is done: only the total clock applies
        firstByteTimer = timer(timeouts.firstToken(), () -> fail(timeout("first byte", timeouts.firstToken())));
      }
      req.send(wire.body()).onComplete(res -> {
        if (res.failed()) {
          fail(TransportFailures.classify(res.cause()));
        } else if (!finished) {
          onResponse(res.result());
        }
      });
    });
  }

  private void onResponse(HttpClientResponse resp) {
    response = resp;
    int status = resp.statusCode();
    resp.exceptionHandler(t -> fail(TransportFailures.classify(t)));
    if (status < 200 || status >= 300) {
      Buffer errorBody = Buffer.buffer();
      resp.handler(chunk -> {
        onBytes();
        if (errorBody.length() < MAX_ERROR_BYTES) {
          errorBody.appendBuffer(chunk);
        }
      });
      resp.endHandler(v -> {
        responseEnded = true;
        fail(protocol.classify(status, resp::getHeader, errorBody));
      });
      return;
    }
    if (stream == null) {
      body = Buffer.buffer();
      resp.handler(chunk -> {
        onBytes();
        if (body.length() + chunk.length() > MAX_BODY_BYTES) {
          fail(ProviderException.of(FailureClass.MALFORMED, "reply exceeds " + MAX_BODY_BYTES + " bytes"));
          return;
        }
        body.appendBuffer(chunk);
      });
      resp.endHandler(v -> {
        responseEnded = true;
        if (finished) {
          return;
        }
        try {
          ModelResponse decoded = protocol.decode(request, body);
          if (protocol.relaysReply(options)) {
            options.callerBody().keepReply(decoded, body);
          }
          complete();
          replyPromise.tryComplete(decoded);
        } catch (ProviderException e) {
          fail(e);
        } catch (RuntimeException e) {
          fail(ProviderException.of(FailureClass.MALFORMED, "reply cannot be decoded: " + e, e));
        }
      });
    } else {
      resp.handler(chunk -> {
        onBytes();
        if (!finished) {
          decoder.feed(chunk, sink);
        }
      });
      resp.endHandler(v -> {
        responseEnded = true;
        if (!finished) {
          decoder.end(sink);
        }
        // a decoder must end in message_stop or an error; anything else is a truncated stream
        fail(ProviderException.of(FailureClass.NETWORK, "the upstream stream ended without a terminal event"));
      });
    }
  }

  /** Decoded events: the first one completes the stream future, an error one ends the call. */
  private void onEvent(StreamEvent event) {
    if (event instanceof StreamEvent.Error error) {
      fail(error.failure());
      return;
    }
    streamPromise.tryComplete(stream);
    stream.push(event);
    if (event instanceof StreamEvent.MessageStop) {
      // the body's end (or its reset by the server) no longer matters; let the rest drain unread
      // so the connection goes back to the pool even if the consumer never reads on
      complete();
      stream.end();
      response.handler(chunk -> { });
      response.resume();
    }
  }

  private void onBytes() {
    firstByteTimer = cancel(firstByteTimer);
    lastBytesNanos = System.nanoTime();
    if (idleTimer == null && !finished && !idlePaused) {
      idleTimer = timer(timeouts.idle(), this::idleCheck);
    }
  }

  /**
   * The idle timer is not moved on every chunk (a cancel and a schedule each): it fires a whole
   * limit after it was set, and waits the rest of the limit again if bytes came meanwhile.
   */
  private void idleCheck() {
    idleTimer = null;
    if (finished || idlePaused) {
      return;
    }
    long quiet = System.nanoTime() - lastBytesNanos;
    long limit = timeouts.idle().toNanos();
    if (quiet >= limit) {
      fail(timeout("idle gap between chunks", timeouts.idle()));
    } else {
      idleTimer = timer(Duration.ofNanos(limit - quiet), this::idleCheck);
    }
  }

  // ---- UpstreamEventStream.Upstream ----

  @Override
  public void pauseUpstream() {
    if (response != null && !finished) {
      response.pause();
      idlePaused = true;
      idleTimer = cancel(idleTimer);
    }
  }

  @Override
  public void resumeUpstream() {
    if (response != null && idlePaused) {
      idlePaused = false;
      if (!finished) {
        // silence while paused was ours: the gap starts now
        onBytes();
      }
      response.resume();
    }
  }

  @Override
  public void cancelUpstream() {
    if (finished && (stream == null || streamPromise.future().isComplete())) {
      if (stream != null) {
        stream.cancelled(ProviderException.of(FailureClass.CANCELLED, "the caller cancelled the call"));
      }
      return;
    }
    fail(ProviderException.of(FailureClass.CANCELLED, "the caller cancelled the call"));
  }

  // ---- ending ----

  private void complete() {
    finished = true;
    cancelTimers();
  }

  private void fail(ProviderException failure) {
    if (finished) {
      return;
    }
    finished = true;
    cancelTimers();
    if (httpRequest != null && !responseEnded) {
      // tells the server to stop: RST_STREAM on HTTP/2, a closed connection on HTTP/1.1; a reply
      // read to its end (a 429, say) needs no reset
      httpRequest.reset(0, failure);
    }
    if (replyPromise != null) {
      replyPromise.tryFail(failure);
    } else if (!streamPromise.tryFail(failure)) {
      if (failure.failureClass() == FailureClass.CANCELLED) {
        stream.cancelled(failure);
      } else {
        stream.push(new StreamEvent.Error(failure));
        stream.fail(failure);
      }
    }
  }

  private void cancelTimers() {
    unregisterCancel.run();
    totalTimer = cancel(totalTimer);
    firstByteTimer = cancel(firstByteTimer);
    idleTimer = cancel(idleTimer);
  }

  private Timer timer(Duration delay, Runnable action) {
    return timers.schedule(delay, action);
  }

  private static Timer cancel(Timer timer) {
    return ContextTimers.cancel(timer);
  }

  private static ProviderException timeout(String what, Duration limit) {
    return ProviderException.of(FailureClass.TIMEOUT,
        "upstream exceeded the " + what + " limit of " + limit.toMillis() + " ms");
  }
}
