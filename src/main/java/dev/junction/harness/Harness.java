package dev.junction.harness;

import dev.junction.session.EventHub;
import dev.junction.session.SessionService;
import dev.junction.store.CommitListener;
import dev.junction.store.SessionKey;
import dev.junction.store.SessionLeases;
import dev.junction.store.Store;
import dev.junction.store.StoredEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
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
  final SessionLeases leases;
  final TurnTimings timings = new TurnTimings();
  /** Folds left by retired runners for the next activation of their session. */
  final FoldCache folds = new FoldCache(500_000);
  private final Map<String, SessionRunner> runners = new HashMap<>();
  /** Set when the gateway shuts down: steps failing because the store closed are expected then. */
  volatile boolean closing;
  /** Sessions this node took over from a node that stopped renewing, and leases it lost to another. */
  final java.util.concurrent.atomic.AtomicLong takeovers = new java.util.concurrent.atomic.AtomicLong();
  final java.util.concurrent.atomic.AtomicLong leasesLost = new java.util.concurrent.atomic.AtomicLong();

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
    this.leases = store.leases();
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
    long interrupt = 0;
    for (StoredEvent e : events) {
      if (e.type().startsWith("user.")) {
        input = true;
        if (e.type().equals("user.interrupt")) {
          interrupt = e.seq();
        }
      }
    }
    SessionRunner current;
    synchronized (runners) {
      current = runners.get(sessionId);
    }
    if (current != null) {
      current.committed(events);
      if (interrupt > 0) {
        current.interrupt(interrupt);
      }
    }
    if (input) {
      wake(tenant, sessionId);
    }
  }

  /** On a shared store: another node's commits matter here only for sessions this node runs. */
  @Override
  public boolean wants(String sessionId) {
    synchronized (runners) {
      return runners.containsKey(sessionId);
    }
  }

  @Override
  public void deletedElsewhere(String tenant, String sessionId) {
    SessionRunner r;
    synchronized (runners) {
      r = runners.get(sessionId);
    }
    if (r != null) {
      // Its next step finds the session gone and stops.
      r.interrupt(Long.MAX_VALUE);
      wake(tenant, sessionId);
    }
  }

  /**
   * On a store shared by several nodes: renews the leases of the sessions this node runs every third
   * of their time to live, stops runners whose session another node took over, and every quarter of it
   * (at most 5 s) gives a runner to sessions that lost theirs (a node died) or need one and have none.
   * A lease renewed last at most TTL/3 before its node died expires between 2/3 TTL and one TTL after
   * it, so its session moves within about the TTL plus a quarter of it.
   */
  public void keepLeases() {
    if (leases.singleNode()) {
      return;
    }
    long ttl = settings.leaseTtl().toMillis();
    vertx.setPeriodic(Math.max(50, ttl / 3), id -> renewLeases());
    // At least every 5 s: a node that stopped cleanly released its leases, and its sessions should
    // not wait for a long TTL to pass.
    vertx.setPeriodic(Math.max(50, Math.min(ttl / 4, 5_000)), id -> adoptOrphans());
  }

  void renewLeases() {
    Map<String, SessionRunner> held = new HashMap<>();
    synchronized (runners) {
      runners.forEach((id, r) -> {
        if (r.leased()) {
          held.put(id, r);
        }
      });
    }
    leases.renew(held.keySet(), clock.millis(), settings.leaseTtl().toMillis())
        .onSuccess(lost -> lost.forEach(id -> {
          leasesLost.incrementAndGet();
          held.get(id).leaseLost();
        }))
        .onFailure(e -> LOG.warn("could not renew {} session lease(s): {}", held.size(), e.toString()));
  }

  void adoptOrphans() {
    leases.orphaned(clock.millis())
        .onSuccess(keys -> {
          for (SessionKey k : keys) {
            LOG.info("session {} has no live runner; trying to take it over", k.sessionId());
            SessionRunner r;
            synchronized (runners) {
              r = runners.computeIfAbsent(k.sessionId(), id -> new SessionRunner(this, k.tenant(), id, runnerContext()));
              r.markWake();
            }
            r.adopting();
            r.schedule();
          }
        })
        .onFailure(e -> LOG.warn("could not look for orphaned sessions: {}", e.toString()));
  }

  /**
   * A new event-loop context, the event loops taken in turn. Not {@code getOrCreateContext()}: wakes
   * come from the store's writer thread, and Vert.x gives a thread of its own one sticky event loop,
   * which would put every session of the node on one core.
   */
  private Context runnerContext() {
    return ((VertxInternal) vertx).createEventLoopContext();
  }

  void wake(String tenant, String sessionId) {
    SessionRunner r;
    synchronized (runners) {
      r = runners.computeIfAbsent(sessionId, id -> new SessionRunner(this, tenant, id, runnerContext()));
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

  /**
   * Marks the shutdown (runners stop quietly) and gives up this node's leases, so that other nodes
   * take its running sessions over at their next sweep instead of after the lease TTL.
   */
  public Future<Void> close() {
    closing = true;
    if (leases.singleNode()) {
      return Future.succeededFuture();
    }
    List<Future<Void>> released = new java.util.ArrayList<>();
    synchronized (runners) {
      runners.forEach((id, r) -> {
        if (r.leased()) {
          released.add(leases.release(id));
        }
      });
    }
    return Future.join(released).<Void>mapEmpty().otherwiseEmpty();
  }

  /** Exposes the harness's state on {@code /metrics}. */
  public void register(dev.junction.metrics.Metrics metrics) {
    metrics.gauge("junction_session_runners", "Session runners active on this node", this::activeRunners);
    metrics.gauge("junction_session_leases_held", "Session leases this node holds (on a store shared by several nodes)",
        () -> {
          synchronized (runners) {
            return runners.values().stream().filter(SessionRunner::leased).count();
          }
        });
    metrics.counter("junction_session_takeovers", "Sessions this node took over after their node stopped renewing its lease",
        takeovers::get);
    metrics.counter("junction_session_leases_lost", "Session leases this node lost to another node (it stalled past the TTL)",
        leasesLost::get);
  }

  /** Active runners, for metrics and tests. */
  public int activeRunners() {
    synchronized (runners) {
      return runners.size();
    }
  }
}
