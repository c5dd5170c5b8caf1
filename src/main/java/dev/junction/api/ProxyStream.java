package dev.junction.api;

import dev.junction.provider.EventStream;
import dev.junction.provider.FailureClass;
import dev.junction.provider.ProviderException;
import dev.junction.provider.StreamEvent;
import dev.junction.routing.Outcome;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Relays a committed stream to the caller. The head goes out only now, after the executor
 * committed to a target (its first event decoded), so every failure before this point could still
 * fail over. From here on a failure is written as an error frame in the caller's protocol and the
 * response ends without the protocol's clean end ({@code message_stop} / {@code [DONE]}), so no
 * client mistakes a cut stream for a complete answer. Backpressure: when the socket's write queue
 * fills the upstream stream is paused, which in turn pauses the upstream socket. A caller that
 * disconnects cancels the stream, which resets the upstream request.
 *
 * <p>A relayed stream (the target speaks the caller's protocol) is written as the upstream sent it:
 * its {@link StreamEvent.Relayed} bytes, while its other events only feed accounting. Any other
 * stream is encoded frame by frame for the caller. Either way, what one upstream read produced is
 * written at once when the read has been handled (a write is a syscall and a packet of its own), and
 * the last bytes go out with the response's end.
 */
final class ProxyStream {
  private final ProxyCall call;
  private final EventStream stream;
  private final SseFrames frames;
  private final Context context;
  private Buffer pending;
  private boolean pendingOwned;
  private boolean flushScheduled;
  private boolean closed;

  private ProxyStream(ProxyCall call, EventStream stream, SseFrames frames) {
    this.call = call;
    this.stream = stream;
    this.frames = frames;
    this.context = Vertx.currentContext();
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
    call.cancellation().onCancel(stream::cancel);
    resp.drainHandler(v -> stream.resume());
    stream.exceptionHandler(this::failed);
    stream.endHandler(v -> finish());
    if (stream.relayed()) {
      stream.handler(this::relayed);
    } else {
      stream.handler(this::translated);
    }
  }

  private void relayed(StreamEvent event) {
    if (closed) {
      return;
    }
    if (event instanceof StreamEvent.Relayed relayed) {
      append(relayed.bytes(), false);
    } else if (event instanceof StreamEvent.Error error) {
      failed(error.failure());
    }
  }

  private void translated(StreamEvent event) {
    if (closed) {
      return;
    }
    if (event instanceof StreamEvent.Error error) {
      failed(error.failure());
      return;
    }
    frames.event(event, frame -> append(frame, true));
  }

  /** Queues bytes for the write at the end of this read. @param owned whether they may be appended to */
  private void append(Buffer bytes, boolean owned) {
    if (pending == null) {
      pending = bytes;
      pendingOwned = owned;
    } else {
      if (!pendingOwned) {
        pending = Buffer.buffer(pending.length() + bytes.length() + 256).appendBuffer(pending);
        pendingOwned = true;
      }
      pending.appendBuffer(bytes);
    }
    if (!flushScheduled) {
      flushScheduled = true;
      // runs once every event of the current read has been handled
      context.runOnContext(v -> flush());
    }
  }

  private void flush() {
    flushScheduled = false;
    if (closed || pending == null) {
      return;
    }
    HttpServerResponse resp = call.response();
    Buffer bytes = pending;
    pending = null;
    if (resp.closed()) {
      return;
    }
    resp.write(bytes);
    if (resp.writeQueueFull()) {
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
    Buffer error = frames.failure(failure);
    resp.end(pending == null ? error : Buffer.buffer(pending.length() + error.length()).appendBuffer(pending)
        .appendBuffer(error));
    pending = null;
  }

  private void finish() {
    if (closed) {
      return;
    }
    closed = true;
    HttpServerResponse resp = call.response();
    if (!resp.closed()) {
      if (pending != null) {
        resp.end(pending);
      } else {
        resp.end();
      }
    }
    pending = null;
  }
}
