package dev.junction.session;

import dev.junction.store.CommitListener;
import dev.junction.store.StoredEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fans committed events out to live subscribers. It is told of commits in sequence order per session
 * and calls each subscriber in that order; buffering and backpressure are the subscriber's, so a slow
 * reader never delays the store or other readers.
 */
public final class EventHub implements CommitListener {
  private final ConcurrentHashMap<String, CopyOnWriteArrayList<Subscriber>> subscribers = new ConcurrentHashMap<>();
  /** Streams cut off because their reader fell too far behind. */
  private final java.util.concurrent.atomic.AtomicLong cutOff = new java.util.concurrent.atomic.AtomicLong();

  @Override
  public void committed(String tenant, String sessionId, List<StoredEvent> events) {
    List<Subscriber> subs = subscribers.get(sessionId);
    if (subs == null || subs.isEmpty()) {
      return;
    }
    List<Frame> frames = new ArrayList<>(events.size());
    for (StoredEvent e : events) {
      frames.add(Frame.of(e));
    }
    List<Frame> shared = List.copyOf(frames);
    for (Subscriber s : subs) {
      s.deliver(shared);
    }
  }

  /**
   * Sends a preview frame ({@code event_start}/{@code event_delta}, never persisted) to the subscribers
   * that asked for previews of {@code previewOf}.
   */
  public void preview(String sessionId, String previewOf, Frame frame) {
    List<Subscriber> subs = subscribers.get(sessionId);
    if (subs != null) {
      List<Frame> one = List.of(frame);
      for (Subscriber s : subs) {
        if (s.wantsPreview(previewOf)) {
          s.deliver(one);
        }
      }
    }
  }

  /** Whether any current subscriber asked for previews of this type. */
  public boolean wantsPreview(String sessionId, String type) {
    List<Subscriber> subs = subscribers.get(sessionId);
    if (subs != null) {
      for (Subscriber s : subs) {
        if (s.wantsPreview(type)) {
          return true;
        }
      }
    }
    return false;
  }

  public void subscribe(String sessionId, Subscriber s) {
    subscribers.computeIfAbsent(sessionId, k -> new CopyOnWriteArrayList<>()).add(s);
  }

  public void unsubscribe(String sessionId, Subscriber s) {
    subscribers.computeIfPresent(sessionId, (k, list) -> {
      list.remove(s);
      return list.isEmpty() ? null : list;
    });
  }

  /** A subscriber whose reader fell too far behind is being cut off: it hears nothing more, and is counted. */
  public void cutOff(String sessionId, Subscriber s) {
    unsubscribe(sessionId, s);
    cutOff.incrementAndGet();
  }

  /** Exposes the open streams and the ones cut off on {@code /metrics}. */
  public void register(dev.junction.metrics.Metrics metrics) {
    metrics.gauge("junction_event_streams_open", "Event streams (SSE subscribers) open on this node", this::subscriberCount);
    metrics.counter("junction_event_streams_cut", "Event streams cut off because their reader fell more than "
        + "stream.max_buffered_events behind (it can reconcile with GET .../events)", cutOff::get);
  }

  /** Ends every stream of a session, sending {@code last} first. */
  public void end(String sessionId, Frame last) {
    List<Subscriber> subs = subscribers.remove(sessionId);
    if (subs != null) {
      for (Subscriber s : subs) {
        s.end(last);
      }
    }
  }

  /** Whether any stream of this session is open here. */
  public boolean hasSubscribers(String sessionId) {
    List<Subscriber> subs = subscribers.get(sessionId);
    return subs != null && !subs.isEmpty();
  }

  public int subscriberCount() {
    int n = 0;
    for (List<Subscriber> l : subscribers.values()) {
      n += l.size();
    }
    return n;
  }
}
