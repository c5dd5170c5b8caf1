package dev.junction.store.postgres;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Cross-node wake-ups. Every commit that appends events sends, inside its transaction, a notification
 * naming the node, the session and the sequence range; PostgreSQL delivers it to every listening node
 * when (and only if) the transaction commits. The notification carries no events: the receiving node
 * reads them from the log, so a lost notification costs latency, never events. After the listening
 * connection drops and comes back, every session this node was following is read again from the last
 * sequence it delivered, so what was committed while it was away is not missed either.
 */
final class PgNotifications {
  static final String CHANNEL = "junction_events";
  private static final Logger LOG = LoggerFactory.getLogger(PgNotifications.class);

  /** A notification from another node. {@code first == 0} marks a deleted session. */
  record Note(String node, String tenant, String sessionId, long first, long last) {
    boolean deleted() {
      return first == 0;
    }
  }

  /** Sessions this node follows, with the last sequence it delivered, for the catch-up after a reconnect. */
  private final Cache<String, Followed> followed = Caffeine.newBuilder()
      .maximumSize(200_000).expireAfterAccess(Duration.ofMinutes(30)).build();
  private final PgSubscriber subscriber;
  private final String node;
  private volatile boolean subscribedOnce;

  record Followed(String tenant, long lastSeq) {
  }

  PgNotifications(Vertx vertx, PgConnectOptions connect, String node, Consumer<Note> onNote, Consumer<Map<String, Followed>> onResubscribe) {
    this.node = node;
    this.subscriber = PgSubscriber.subscriber(vertx, connect)
        // Reconnect forever, backing off to one attempt every 5 s.
        .reconnectPolicy(attempt -> Math.min(5_000L, 100L << Math.min(attempt, 6)));
    subscriber.closeHandler(v -> LOG.warn("PostgreSQL notification connection closed; reconnecting"));
    subscriber.channel(CHANNEL)
        .subscribeHandler(v -> {
          if (subscribedOnce) {
            LOG.info("listening for cross-node events again; catching up {} followed session(s)", followed.estimatedSize());
            onResubscribe.accept(Map.copyOf(followed.asMap()));
          }
          subscribedOnce = true;
        })
        .handler(payload -> {
          Note note = parse(payload);
          if (note != null && !note.node().equals(node)) {
            onNote.accept(note);
          }
        });
  }

  Future<Void> start() {
    return subscriber.connect();
  }

  Future<Void> close() {
    return subscriber.close();
  }

  /** Records that events up to {@code lastSeq} of a session were delivered on this node. */
  void delivered(String tenant, String sessionId, long lastSeq) {
    followed.asMap().merge(sessionId, new Followed(tenant, lastSeq),
        (a, b) -> a.lastSeq() >= b.lastSeq() ? a : b);
  }

  void forget(String sessionId) {
    followed.invalidate(sessionId);
  }

  Followed following(String sessionId) {
    return followed.getIfPresent(sessionId);
  }

  static String payload(String node, String tenant, String sessionId, long first, long last) {
    return new JsonObject().put("n", node).put("t", tenant).put("s", sessionId).put("f", first).put("l", last).encode();
  }

  private static Note parse(String payload) {
    try {
      JsonObject o = new JsonObject(payload);
      return new Note(o.getString("n"), o.getString("t"), o.getString("s"), o.getLong("f"), o.getLong("l"));
    } catch (RuntimeException e) {
      LOG.warn("ignoring a malformed notification on {}: {}", CHANNEL, e.toString());
      return null;
    }
  }
}
