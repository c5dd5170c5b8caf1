package dev.junction.routing;

import dev.junction.metrics.Metrics;
import dev.junction.provider.FailureClass;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Owns the health of every target: one Resilience4j {@link CircuitBreaker} per target id driven by
 * the injected {@link Clock} (transitions are lazy, checked when a call asks for permission; no
 * timers), observed statistics, and cooldowns. Thread-safe.
 *
 * <p>How outcomes count ({@link #failed}): OVERLOADED, SERVER, TIMEOUT, NETWORK and MALFORMED are
 * breaker failures; a {@code retry-after} on any failure cools the target down for exactly that
 * long; RATE_LIMITED without one cools it down for the configured default; QUOTA for the long quota
 * cooldown; AUTH forces the breaker open until {@link #reset}; CALLER_FAULT and CANCELLED never
 * count. Successes slower than the slow-call threshold count as slow calls.
 */
public final class TargetRegistry {
  private final Clock clock;
  private final Function<String, BreakerSettings> settings;
  private final PriceLookup prices;
  private final Metrics metrics;
  private final Map<String, TargetHealth> targets = new ConcurrentHashMap<>();
  private final AtomicLong version = new AtomicLong();
  private final List<Consumer<BreakerTransition>> transitionListeners = new CopyOnWriteArrayList<>();
  private volatile CachedStates cached = new CachedStates(-1, Map.of());

  private record CachedStates(long version, Map<String, TargetState> states) {
  }

  /**
   * @param settings breaker settings per target id (e.g. {@link RouteTable#breakerSettings}), read
   *     once, when the target is first seen
   * @param prices for the cheapest strategy
   * @param metrics may be null
   */
  public TargetRegistry(Clock clock, Function<String, BreakerSettings> settings, PriceLookup prices, Metrics metrics) {
    this.clock = clock;
    this.settings = settings;
    this.prices = prices == null ? PriceLookup.NONE : prices;
    this.metrics = metrics;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * Hears every breaker transition of every target, on the thread that caused it (the one that
   * asked for permission or recorded the outcome); keep the listener short.
   */
  public void onTransition(Consumer<BreakerTransition> listener) {
    transitionListeners.add(listener);
  }

  /**
   * The health of every known target now. The map is rebuilt only when something changed since the
   * last snapshot, and then only the states of the targets that changed, so a quiet gateway pays
   * one clock read per request and a busy one a small map copy. An attempt starting changes nothing
   * a plan reads (its in-flight count shows in the next rebuild and, live, in {@link #toJson()}).
   */
  public Snapshot snapshot() {
    long v = version.get();
    CachedStates c = cached;
    if (c.version != v) {
      Map<String, TargetState> states = new HashMap<>(targets.size() * 2);
      for (TargetHealth health : targets.values()) {
        states.put(health.id, health.view());
      }
      c = new CachedStates(v, Map.copyOf(states));
      cached = c;
    }
    return new Snapshot(clock.instant(), c.states, prices);
  }

  /**
   * Makes a target known before its first call, so operators see (and can override) every
   * configured target, and its breaker gauge is exported from the start.
   */
  public void track(String targetId) {
    health(targetId);
  }

  /** Whether the registry has seen this target (tracked or called). */
  public boolean known(String targetId) {
    return targets.containsKey(targetId);
  }

  /** Asks the target's breaker for a call; may move it from OPEN to HALF_OPEN (lazily, by the clock). */
  public boolean tryAcquire(String targetId) {
    return health(targetId).breaker.tryAcquirePermission();
  }

  /** An attempt begins (after {@link #tryAcquire}, or bypassing it as a last resort). */
  public void started(String targetId) {
    health(targetId).observations.started();
    if (metrics != null) {
      metrics.inFlight(targetId, 1);
    }
  }

  /**
   * @param permitted whether the attempt holds breaker permission (false for a last resort)
   * @param latency end to end (streams: until the stream ended)
   * @param breakerDuration what slow-call detection judges (non-streaming: the latency; streams:
   *     time to first token, since a long answer is not a slow provider)
   */
  public void succeeded(String targetId, boolean permitted, Duration latency, Duration ttft, Duration breakerDuration) {
    TargetHealth health = health(targetId);
    finished(health);
    health.observations.success(millis(latency), millis(ttft));
    if (permitted) {
      health.breaker.onSuccess(breakerDuration.toNanos(), TimeUnit.NANOSECONDS);
    }
    changed(health);
  }

  /**
   * Records a failed attempt as the failure class dictates (see the class comment).
   *
   * @param retryAfter what the provider asked for, or null
   */
  public void failed(String targetId, boolean permitted, FailureClass failure, Duration retryAfter, Duration latency) {
    TargetHealth health = health(targetId);
    finished(health);
    Instant now = clock.instant();
    switch (failure) {
      case CALLER_FAULT, CANCELLED -> release(health, permitted);
      case AUTH -> {
        release(health, permitted);
        health.lastFailure = failure;
        // a wrong key stays wrong: keep traffic away until an operator resets it
        health.breaker.transitionToForcedOpenState();
      }
      case RATE_LIMITED -> {
        release(health, permitted);
        health.lastFailure = failure;
        coolDown(health, now, retryAfter != null ? retryAfter : health.settings.rateLimitCooldown());
      }
      case QUOTA -> {
        release(health, permitted);
        health.lastFailure = failure;
        Duration quota = health.settings.quotaCooldown();
        coolDown(health, now, retryAfter != null && retryAfter.compareTo(quota) > 0 ? retryAfter : quota);
      }
      case OVERLOADED, SERVER, TIMEOUT, NETWORK, MALFORMED -> {
        health.lastFailure = failure;
        health.observations.failure(millis(latency));
        if (permitted) {
          health.breaker.onError(latency.toNanos(), TimeUnit.NANOSECONDS, new CountedFailure(failure));
        }
        if (retryAfter != null) {
          coolDown(health, now, retryAfter);
        }
      }
    }
    changed(health);
  }

  /** An attempt ended without an outcome worth counting (a hedge loser, a caller that left). */
  public void abandoned(String targetId, boolean permitted) {
    TargetHealth health = health(targetId);
    finished(health);
    release(health, permitted);
    changed(health);
  }

  /** Operator override: no calls until {@link #reset}. */
  public void forceOpen(String targetId) {
    TargetHealth health = health(targetId);
    health.breaker.transitionToForcedOpenState();
    changed(health);
  }

  /** Operator override: calls always allowed, cooldown cleared; outcomes still feed the statistics. */
  public void forceClosed(String targetId) {
    TargetHealth health = health(targetId);
    health.breaker.transitionToDisabledState();
    health.cooldownUntil = null;
    changed(health);
  }

  /** Back to CLOSED with an empty window, no cooldown and no remembered failure. */
  public void reset(String targetId) {
    TargetHealth health = health(targetId);
    health.breaker.reset();
    health.cooldownUntil = null;
    health.lastFailure = null;
    health.observations.clear();
    changed(health);
  }

  /** The view behind {@code GET /admin/targets}: state, deadlines and statistics per target id. */
  public JsonObject toJson() {
    Snapshot snapshot = snapshot();
    JsonArray list = new JsonArray();
    for (Map.Entry<String, TargetState> e : new TreeMap<>(snapshot.targets()).entrySet()) {
      TargetState s = e.getValue();
      TargetStats st = s.stats();
      TargetHealth health = targets.get(e.getKey());
      JsonObject stats = new JsonObject().put("latency_ms_ewma", num(st.latencyMillis()))
          .put("ttft_ms_ewma", num(st.ttftMillis())).put("latency_ms_p95", num(st.p95Millis()))
          .put("success_rate", num(st.successRate())).put("in_flight", health.observations.inFlight())
          .put("samples", st.samples());
      CircuitBreaker.Metrics m = health.breaker.getMetrics();
      JsonObject window = new JsonObject().put("calls", m.getNumberOfBufferedCalls())
          .put("failed", m.getNumberOfFailedCalls()).put("slow", m.getNumberOfSlowCalls())
          .put("failure_rate", num(m.getFailureRate())).put("slow_call_rate", num(m.getSlowCallRate()));
      Instant cooldown = s.cooldownUntil() != null && s.cooldownUntil().isAfter(snapshot.now()) ? s.cooldownUntil() : null;
      list.add(new JsonObject().put("target", e.getKey()).put("state", s.breaker().jsonName())
          .put("available", s.available(snapshot.now()))
          .put("open_until", s.openUntil() == null ? null : s.openUntil().toString())
          .put("cooldown_until", cooldown == null ? null : cooldown.toString())
          .put("last_failure", s.lastFailure() == null ? null : s.lastFailure().name().toLowerCase())
          .put("window", window).put("stats", stats));
    }
    return new JsonObject().put("now", snapshot.now().toString()).put("targets", list);
  }

  private void changed(TargetHealth health) {
    health.changed();
    version.incrementAndGet();
  }

  private static Double num(double v) {
    return Double.isNaN(v) || v < 0 ? null : v;
  }

  private void finished(TargetHealth health) {
    health.observations.finished();
    if (metrics != null) {
      metrics.inFlight(health.id, -1);
    }
  }

  private static void release(TargetHealth health, boolean permitted) {
    if (permitted) {
      // gives a half-open probe slot back, so a cancelled probe cannot leave the breaker stuck
      health.breaker.releasePermission();
    }
  }

  private static void coolDown(TargetHealth health, Instant now, Duration wait) {
    Instant until = now.plus(wait);
    Instant current = health.cooldownUntil;
    // the later deadline wins: a second, shorter cooldown must not cut the first one short
    if (current == null || until.isAfter(current)) {
      health.cooldownUntil = until;
    }
  }

  private static double millis(Duration d) {
    return d == null ? Double.NaN : d.toNanos() / 1e6;
  }

  TargetHealth health(String targetId) {
    TargetHealth existing = targets.get(targetId);
    return existing != null ? existing : targets.computeIfAbsent(targetId, this::create);
  }

  private TargetHealth create(String id) {
    BreakerSettings s = settings.apply(id);
    CircuitBreakerConfig config = CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(s.window()).minimumNumberOfCalls(Math.min(s.minCalls(), s.window()))
        .failureRateThreshold(s.failureRatePercent()).slowCallRateThreshold(s.slowCallRatePercent())
        .slowCallDurationThreshold(s.slowCall()).waitDurationInOpenState(s.openFor())
        .permittedNumberOfCallsInHalfOpenState(s.halfOpenProbes())
        .automaticTransitionFromOpenToHalfOpenEnabled(false).clock(clock).build();
    CircuitBreaker breaker = CircuitBreaker.of(id, config);
    TargetHealth health = new TargetHealth(id, s, breaker);
    breaker.getEventPublisher().onStateTransition(event -> {
      if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
        // the same clock and duration Resilience4j's OpenState uses for its own deadline
        health.openUntil = clock.instant().plus(s.openFor());
      }
      changed(health);
      if (metrics != null) {
        metrics.breakerState(id, health.state().gaugeValue());
      }
      if (!transitionListeners.isEmpty()) {
        BreakerTransition t = new BreakerTransition(id, BreakerState.of(event.getStateTransition().getFromState()),
            BreakerState.of(event.getStateTransition().getToState()), clock.instant(), health.lastFailure);
        transitionListeners.forEach(l -> l.accept(t));
      }
    });
    if (metrics != null) {
      metrics.breakerState(id, BreakerState.CLOSED.gaugeValue());
    }
    version.incrementAndGet();
    return health;
  }

  /** What the breaker records as the error of a counted failure; no stack trace, it is an outcome. */
  static final class CountedFailure extends RuntimeException {
    CountedFailure(FailureClass failure) {
      super(failure.name(), null, false, false);
    }
  }
}
