package dev.junction.testing;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads an SSE body on its own thread into frames, exactly as the wire has them, so tests can check
 * the {@code event:} line separately from the JSON. End of stream is a frame with a null event.
 */
public final class SseReader implements AutoCloseable {
  public record Frame(String event, String id, String data) {
    public JsonObject json() {
      return new JsonObject(data);
    }

    boolean isEnd() {
      return event == null && data == null;
    }
  }

  private static final Frame END = new Frame(null, null, null);
  private final BlockingQueue<Frame> frames = new ArrayBlockingQueue<>(100_000);
  private final InputStream in;
  private final Thread thread;

  public SseReader(InputStream in) {
    this.in = in;
    this.thread = new Thread(this::run, "sse-reader");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String event = null;
      String id = null;
      StringBuilder data = null;
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isEmpty()) {
          if (event != null || data != null) {
            frames.add(new Frame(event, id, data == null ? null : data.toString()));
          }
          event = null;
          id = null;
          data = null;
        } else if (line.startsWith("event:")) {
          event = line.substring(6).trim();
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("data:")) {
          String d = line.substring(5);
          d = d.startsWith(" ") ? d.substring(1) : d;
          data = data == null ? new StringBuilder(d) : data.append('\n').append(d);
        }
      }
    } catch (IOException e) {
      // A reset connection ends the stream like EOF does; tests check what arrived before it.
    } finally {
      frames.add(END);
    }
  }

  /** The next frame that is not a ping, or null at end of stream. Fails after the timeout. */
  public Frame next(long timeoutMillis) {
    while (true) {
      Frame f = nextIncludingPings(timeoutMillis);
      if (f == null || !"ping".equals(f.event())) {
        return f;
      }
    }
  }

  public Frame nextIncludingPings(long timeoutMillis) {
    try {
      Frame f = frames.poll(timeoutMillis, TimeUnit.MILLISECONDS);
      if (f == null) {
        throw new AssertionError("no SSE frame within " + timeoutMillis + " ms");
      }
      return f.isEnd() ? null : f;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Reads n non-ping frames. */
  public List<Frame> take(int n, long timeoutMillis) {
    List<Frame> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Frame f = next(timeoutMillis);
      if (f == null) {
        throw new AssertionError("stream ended after " + out.size() + " of " + n + " frames");
      }
      out.add(f);
    }
    return out;
  }

  /** Reads n frames of the given types, skipping others (the agent loop's own events, pings). */
  public List<Frame> takeOfType(int n, long timeoutMillis, String... types) {
    java.util.Set<String> wanted = java.util.Set.of(types);
    List<Frame> out = new ArrayList<>();
    while (out.size() < n) {
      Frame f = next(timeoutMillis);
      if (f == null) {
        throw new AssertionError("stream ended after " + out.size() + " of " + n + " frames of " + wanted);
      }
      if (wanted.contains(f.event())) {
        out.add(f);
      }
    }
    return out;
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException ignored) {
      // Closing a stream the server may already have closed.
    }
  }
}
