package dev.junction.api;

import dev.junction.config.JunctionConfig;
import dev.junction.session.EventHub;
import dev.junction.session.Frame;
import dev.junction.session.Subscriber;
import dev.junction.store.Store;
import dev.junction.store.StoredEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One SSE connection. Frames arrive from the hub on any thread and queue here; they are written on the
 * connection's own context as fast as the socket takes them. A reader that falls more than the
 * configured number of events behind is cut off, so it can neither stall the session nor hold
 * unbounded memory; it can reconcile with {@code GET .../events}.
 */
final class SseStream implements Subscriber {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SseStream.class);
  private static final Buffer PING = Buffer.buffer("event: ping\ndata: {\"type\":\"ping\"}\n\n".getBytes(StandardCharsets.UTF_8));

  private final Vertx vertx;
  private final Context context;
  private final HttpServerResponse response;
  private final String sessionId;
  private final EventHub hub;
  private final Store store;
  private final JunctionConfig.Stream settings;
  private final Set<String> deltaTypes;
  private final ConcurrentLinkedQueue<Frame> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private volatile boolean closed;
  private boolean replaying;
  private long lastSeq;
  private long pingTimer = -1;

  SseStream(Vertx vertx, RoutingContext ctx, String sessionId, EventHub hub, Store store, JunctionConfig.Stream settings,
            Set<String> deltaTypes) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.response = ctx.response();
    this.sessionId = sessionId;
    this.hub = hub;
    this.store = store;
    this.settings = settings;
    this.deltaTypes = deltaTypes;
  }

  /** @param resumeAfterSeq replay events after this sequence first, or -1 for live events only */
  void open(long resumeAfterSeq) {
    response.setChunked(true).setStatusCode(200)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no");
    response.closeHandler(v -> close());
    response.exceptionHandler(e -> close());
    // Subscribe before anything else so no event committed from now on is missed.
    hub.subscribe(sessionId, this);
    response.writeHead();
    pingTimer = vertx.setPeriodic(settings.pingIntervalMillis(), id -> {
      if (!closed && !response.writeQueueFull()) {
        response.write(PING);
      }
    });
    if (resumeAfterSeq >= 0) {
      replaying = true;
      lastSeq = resumeAfterSeq;
      replay();
    }
  }

  private void replay() {
    store.eventsAfter(sessionId, lastSeq, 1000).onComplete(ar -> {
      if (closed) {
        return;
      }
      if (ar.failed()) {
        response.reset();
        return;
      }
      for (StoredEvent e : ar.result()) {
        response.write(Frame.of(e).buffer());
        lastSeq = e.seq();
      }
      if (ar.result().size() == 1000) {
        replay();
        return;
      }
      replaying = false;
      drain();
    });
  }

  @Override
  public boolean wantsPreview(String type) {
    return deltaTypes.contains(type);
  }

  @Override
  public void deliver(List<Frame> frames) {
    if (closed) {
      return;
    }
    for (Frame f : frames) {
      queue.add(f);
    }
    if (queued.addAndGet(frames.size()) > settings.maxBufferedEvents()) {
      closed = true;
      // On the connection's context: this runs on the store's writer, which every commit waits for.
      context.runOnContext(v -> {
        LOG.info("session {}: an event stream's reader fell more than {} events behind; cutting it off",
            sessionId, settings.maxBufferedEvents());
        hub.cutOff(sessionId, this);
        cancelPing();
        response.reset();
      });
      return;
    }
    if (scheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        scheduled.set(false);
        drain();
      });
    }
  }

  private void drain() {
    if (closed || replaying) {
      return;
    }
    Frame f;
    while (!response.writeQueueFull() && (f = queue.poll()) != null) {
      queued.decrementAndGet();
      if (f.seq() != 0 && f.seq() <= lastSeq) {
        continue;
      }
      if (f.seq() > lastSeq + 1 && lastSeq > 0) {
        // Events committed on another node arrive when their notification does, and one may be late
        // or lost: the log fills the gap (this frame included), then the queue goes on.
        replaying = true;
        replay();
        return;
      }
      if (f.seq() != 0) {
        lastSeq = f.seq();
      }
      response.write(f.buffer());
    }
    if (!queue.isEmpty()) {
      response.drainHandler(v -> drain());
    }
  }

  @Override
  public void end(Frame last) {
    context.runOnContext(v -> {
      if (closed) {
        return;
      }
      closed = true;
      cancelPing();
      Frame f;
      while ((f = queue.poll()) != null) {
        if (f.seq() == 0 || f.seq() > lastSeq) {
          response.write(f.buffer());
        }
      }
      if (last != null) {
        response.write(last.buffer());
      }
      response.end();
    });
  }

  private void close() {
    closed = true;
    cancelPing();
    hub.unsubscribe(sessionId, this);
    queue.clear();
  }

  private void cancelPing() {
    if (pingTimer >= 0) {
      vertx.cancelTimer(pingTimer);
      pingTimer = -1;
    }
  }
}
