package dev.junction.harness;

import dev.junction.session.EventHub;
import dev.junction.session.SessionService;
import dev.junction.store.CommitListener;
import dev.junction.store.SessionKey;
import dev.junction.store.Store;
import dev.junction.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Owns the session runners: wakes the runner of a session when a client event is committed, creates
 * runners on demand and retires idle ones, and on start resumes every session the log says was running.
 */
public final class Harness implements CommitListener {
  private static final Logger LOG = LoggerFactory.getLogger(Harness.class);

  final Vertx vertx;
  final Store store;
  final SessionService sessions;
  final EventHub hub;
  final ModelGateway models;
  final BuiltInTools tools;
  final Clock clock;
  final HarnessSettings settings;
  final TurnTimings timings = new TurnTimings();
  /** Folds left by retired runners for the next activation of their session. */
  final FoldCache folds = new FoldCache(500_000);
  private final Map<String, SessionRunner> runners = new HashMap<>();

  public Harness(Vertx vertx, Store store, SessionService sessions, ModelGateway models, BuiltInTools tools, Clock clock,
                 HarnessSettings settings) {
    this.vertx = vertx;
    this.store = store;
    this.sessions = sessions;
    this.hub = sessions.hub();
    this.models = models;
    this.tools = tools;
    this.clock = clock;
    this.settings = settings;
    store.onCommit(this);
  }

  /** Resumes sessions that were running or rescheduling when the gateway last stopped. */
  public Future<Integer> recover() {
    return store.sessionsWithStatus(Set.of("running", "rescheduling")).map(keys -> {
      for (SessionKey k : keys) {
        wake(k.tenant(), k.sessionId());
      }
      if (!keys.isEmpty()) {
        LOG.info("resuming {} session(s) that were running", keys.size());
      }
      return keys.size();
    });
  }

  @Override
  public void committed(String tenant, String sessionId, List<StoredEvent> events) {
    boolean input = false;
    boolean interrupt = false;
    for (StoredEvent e : events) {
      if (e.type().startsWith("user.")) {
        input = true;
        interrupt |= e.type().equals("user.interrupt");
      }
    }
    SessionRunner current;
    synchronized (runners) {
      current = runners.get(sessionId);
    }
    if (current != null) {
      current.committed(events);
      if (interrupt) {
        current.interrupt();
      }
    }
    if (input) {
      wake(tenant, sessionId);
    }
  }

  void wake(String tenant, String sessionId) {
    SessionRunner r;
    synchronized (runners) {
      r = runners.computeIfAbsent(sessionId, id -> new SessionRunner(this, tenant, id, vertx.getOrCreateContext()));
      r.markWake();
    }
    r.schedule();
  }

  /** Removes a runner that has nothing to do, unless a wake arrived meanwhile. */
  boolean retire(SessionRunner r) {
    synchronized (runners) {
      if (r.wakePending()) {
        return false;
      }
      runners.remove(r.sessionId(), r);
      return true;
    }
  }

  /** Gateway-side time per activation and per turn. */
  public TurnTimings timings() {
    return timings;
  }

  /** Active runners, for metrics and tests. */
  public int activeRunners() {
    synchronized (runners) {
      return runners.size();
    }
  }
}
