package dev.junction.api;

import dev.junction.provider.EventStream;
import dev.junction.provider.FailureClass;
import dev.junction.provider.ProviderException;
import dev.junction.provider.StreamEvent;
import dev.junction.routing.Outcome;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.function.Consumer;

/**
 * Relays a committed stream to the caller. The head goes out only now, after the executor
 * committed to a target (its first event decoded), so every failure before this point could still
 * fail over. From here on a failure is written as an error frame in the caller's protocol and the
 * response ends without the protocol's clean end ({@code message_stop} / {@code [DONE]}), so no
 * client mistakes a cut stream for a complete answer. Backpressure: when the socket's write queue
 * fills the upstream stream is paused, which in turn pauses the upstream socket. A caller that
 * disconnects cancels the stream, which resets the upstream request.
 */
final class ProxyStream {
  private final ProxyCall call;
  private final EventStream stream;
  private final SseFrames frames;
  private final Consumer<Buffer> write;
  private boolean closed;

  private ProxyStream(ProxyCall call, EventStream stream, SseFrames frames) {
    this.call = call;
    this.stream = stream;
    this.frames = frames;
    HttpServerResponse resp = call.response();
    this.write = resp::write;
  }

  static void relay(ProxyCall call, Outcome<EventStream> outcome, SseFrames frames) {
    HttpServerResponse resp = call.response();
    if (resp.closed()) {
      outcome.value().cancel();
      return;
    }
    call.head(outcome.routing(), true);
    resp.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
    new ProxyStream(call, outcome.value(), frames).start();
  }

  private void start() {
    HttpServerResponse resp = call.response();
    // the head goes with the first frame; an empty write would cost a packet of its own
    call.cancellation().onCancel(stream::cancel);
    resp.drainHandler(v -> stream.resume());
    stream.exceptionHandler(this::failed);
    stream.endHandler(v -> finish());
    stream.handler(this::event);
  }

  private void event(StreamEvent event) {
    if (closed) {
      return;
    }
    if (event instanceof StreamEvent.Error error) {
      failed(error.failure());
      return;
    }
    frames.event(event, write);
    if (call.response().writeQueueFull()) {
      stream.pause();
    }
  }

  private void failed(Throwable cause) {
    if (closed) {
      return;
    }
    closed = true;
    HttpServerResponse resp = call.response();
    if (resp.closed()) {
      return;
    }
    ProviderException failure = cause instanceof ProviderException e ? e
        : ProviderException.of(FailureClass.NETWORK, String.valueOf(cause), cause);
    resp.end(frames.failure(failure));
  }

  private void finish() {
    if (closed) {
      return;
    }
    closed = true;
    if (!call.response().closed()) {
      call.response().end();
    }
  }
}
