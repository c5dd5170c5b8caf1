package dev.junction.routing;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.junction.metrics.Metrics;
import dev.junction.provider.CallOptions;
import dev.junction.provider.Cancellation;
import dev.junction.provider.ContextTimers;
import dev.junction.provider.ContextTimers.Timer;
import dev.junction.provider.FailureClass;
import dev.junction.provider.ProviderClient;
import dev.junction.provider.ProviderException;
import dev.junction.provider.Timeouts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One routed call from plan to outcome. Every callback (provider futures, timers, cancellation)
 * hops onto the run's context, so the state below is only ever touched by one thread. Each attempt
 * settles exactly once; whatever arrives for it afterwards is ignored (or discarded, if it is a
 * result that holds resources).
 */
final class FailoverRun<T> {
  private final Context context;
  private final TargetRegistry registry;
  private final ProviderDirectory providers;
  private final Metrics metrics;
  private final Ticker ticker;
  private final Plan plan;
  private final Snapshot snapshot;
  private final RouteRequest request;
  private final AttemptMode<T> mode;
  private final Promise<Outcome<T>> promise;

  private final List<Attempt> attempts = new ArrayList<>(4);
  private final List<Live> running = new ArrayList<>(2);
  private int next;
  private boolean done;
  private boolean hedgeScheduled;
  private boolean totalExpired;
  private final ContextTimers timers;
  private Timer totalTimer;
  private Timer hedgeTimer;
  private Live hedged;
  private Live winner;
  private Runnable unregisterCaller = () -> { };
  private ProviderException lastFailure;

  /** One attempt in flight. */
  private final class Live {
    final Target target;
    final ProviderClient client;
    final boolean permitted;
    final boolean hedge;
    final Cancellation cancellation = Cancellation.create();
    final long startNanos = ticker.read();
    Timer timer;
    boolean settled;

    Live(Target target, ProviderClient client, boolean permitted, boolean hedge) {
      this.target = target;
      this.client = client;
      this.permitted = permitted;
      this.hedge = hedge;
    }
  }

  FailoverRun(Context context, TargetRegistry registry, ProviderDirectory providers, Metrics metrics,
      Ticker ticker, Plan plan, Snapshot snapshot, RouteRequest request, AttemptMode<T> mode,
      Promise<Outcome<T>> promise) {
    this.context = context;
    this.registry = registry;
    this.providers = providers;
    this.metrics = metrics;
    this.ticker = ticker;
    this.plan = plan;
    this.snapshot = snapshot;
    this.request = request;
    this.mode = mode;
    this.promise = promise;
    this.timers = new ContextTimers(context);
  }

  /** Runs on the run's context. */
  void start() {
    Cancellation callerLeft = request.options().cancellation();
    if (callerLeft != null) {
      unregisterCaller = callerLeft.onCancel(() -> onContext(this::callerCancelled));
    }
    if (done) {
      return;
    }
    if (plan.targets().isEmpty()) {
      finishFailure(null);
      return;
    }
    totalTimer = timer(plan.route().timeouts().total(), this::totalTimedOut);
    if (!launchNext(false)) {
      finishFailure(null);
    }
  }

  private boolean launchNext(boolean hedge) {
    while (next < plan.targets().size()) {
      Target target = plan.targets().get(next++);
      ProviderClient client = providers.client(target);
      if (client == null) {
        attempts.add(new Attempt(target, AttemptResult.REJECTED, null, Duration.ZERO, 0, hedge,
            "provider '" + target.provider() + "' is not configured"));
        continue;
      }
      boolean permitted = false;
      if (!plan.lastResort()) {
        // the breaker may have opened, or its half-open probes been taken, since the snapshot
        if (!registry.tryAcquire(target.id())) {
          attempts.add(new Attempt(target, AttemptResult.REJECTED, null, Duration.ZERO, 0, hedge,
              "breaker refused the call"));
          metric(target, "rejected", 0);
          continue;
        }
        permitted = true;
      }
      begin(new Live(target, client, permitted, hedge));
      return true;
    }
    return false;
  }

  private void begin(Live a) {
    running.add(a);
    registry.started(a.target.id());
    RouteTimeouts limits = plan.route().timeouts();
    Duration attemptLimit = mode.streaming() ? limits.firstToken() : limits.attempt();
    // the provider enforces the same limits on its side (and resets the request); ours is the backstop
    Timeouts callTimeouts = new Timeouts(null, limits.firstToken(), null, mode.streaming() ? null : limits.attempt());
    CallOptions options = request.options().withCancellation(a.cancellation).withTimeouts(callTimeouts);
    a.timer = timer(attemptLimit, () -> attemptTimedOut(a, attemptLimit));
    Future<T> call;
    try {
      call = mode.call(a.client, request.request().withModel(a.target.model()), options);
    } catch (RuntimeException e) {
      call = Future.failedFuture(e);
    }
    call.onComplete(ar -> onContext(() -> {
      if (ar.succeeded()) {
        succeeded(a, ar.result());
      } else {
        failed(a, classify(ar.cause()));
      }
    }));
    if (!a.hedge && !hedgeScheduled && plan.route().hedge().enabled() && next < plan.targets().size()) {
      hedgeScheduled = true;
      hedged = a;
      double p95 = snapshot.state(a.target.id()).stats().p95Millis();
      hedgeTimer = timer(plan.route().hedge().delay(p95), this::hedge);
    }
  }

  private void hedge() {
    hedgeTimer = null;
    if (done || hedged.settled || running.size() != 1) {
      return; // already answered, or the first attempt failed and failover took over
    }
    if (launchNext(true)) {
      metrics(m -> m.hedge(plan.routeName()));
    }
  }

  private void succeeded(Live a, T value) {
    if (a.settled) {
      mode.discard(value);
      return;
    }
    if (!mode.streaming()) {
      String problem = mode.check(value, request);
      if (problem != null) {
        failed(a, ProviderException.of(FailureClass.MALFORMED, problem));
        return;
      }
    }
    long now = ticker.read();
    settle(a);
    Duration latency = Duration.ofNanos(now - a.startNanos);
    attempts.add(new Attempt(a.target, AttemptResult.SUCCEEDED, null, latency, 0, a.hedge, null));
    metric(a.target, "ok", latency.toNanos() / 1e9);
    metrics(m -> m.firstToken(a.target.id(), latency.toNanos() / 1e9));
    while (!running.isEmpty()) {
      abandon(running.get(0), null); // abandon settles it, which takes it off the list
    }
    done = true;
    winner = a;
    cancelTimers();
    Routing routing = routing(a.target);
    metrics(m -> m.request(plan.routeName(), "ok"));
    // a committed stream still listens for the caller leaving, until it ends
    promise.complete(mode.commit(value, new AttemptMode.Committed(a.target, a.client, a.permitted, a.startNanos, now,
        request.attributes().tenant(), request, () -> onContext(unregisterCaller)), routing));
  }

  private void failed(Live a, ProviderException failure) {
    if (a.settled) {
      return;
    }
    settle(a);
    FailureClass failureClass = failure.failureClass();
    Duration latency = Duration.ofNanos(ticker.read() - a.startNanos);
    AttemptResult result = failureClass == FailureClass.CANCELLED ? AttemptResult.CANCELLED : AttemptResult.FAILED;
    attempts.add(new Attempt(a.target, result, failureClass, latency, failure.status(), a.hedge, failure.getMessage()));
    registry.failed(a.target.id(), a.permitted, failureClass, failure.retryAfter(), latency);
    String outcome = failureClass.name().toLowerCase(Locale.ROOT);
    metric(a.target, outcome, latency.toNanos() / 1e9);
    lastFailure = failure;
    if (done) {
      return;
    }
    if (endsTheRun(failure)) {
      finishFailure(null);
      return;
    }
    if (totalExpired) {
      if (running.isEmpty()) {
        finishFailure(null);
      }
      return;
    }
    if (!running.isEmpty()) {
      // the other attempt carries on; a failed hedge is replaced, so the slow first attempt keeps a rival
      if (a.hedge) {
        launchNext(true);
      }
      metrics(m -> m.failover(plan.routeName(), a.target.id(), outcome));
      return;
    }
    if (launchNext(false)) {
      metrics(m -> m.failover(plan.routeName(), a.target.id(), outcome));
      return;
    }
    finishFailure(null);
  }

  /** A bad request fails everywhere; only a context-length 400 may find a larger window elsewhere. */
  private static boolean endsTheRun(ProviderException failure) {
    return switch (failure.failureClass()) {
      case CALLER_FAULT -> !failure.contextLength();
      case CANCELLED -> true;
      case AUTH, RATE_LIMITED, QUOTA, OVERLOADED, SERVER, TIMEOUT, NETWORK, MALFORMED -> false;
    };
  }

  private void attemptTimedOut(Live a, Duration limit) {
    a.timer = null;
    if (a.settled) {
      return;
    }
    failed(a, ProviderException.of(FailureClass.TIMEOUT, (mode.streaming() ? "no first token within " : "no reply within ")
        + limit.toMillis() + " ms"));
    a.cancellation.cancel();
  }

  private void totalTimedOut() {
    totalTimer = null;
    if (done) {
      return;
    }
    totalExpired = true;
    for (Live a : new ArrayList<>(running)) {
      failed(a, ProviderException.of(FailureClass.TIMEOUT, "route '" + plan.routeName() + "' total time of "
          + plan.route().timeouts().total().toMillis() + " ms ran out"));
      a.cancellation.cancel();
    }
    finishFailure(null);
  }

  private void callerCancelled() {
    if (done) {
      if (winner != null) {
        winner.cancellation.cancel(); // resets a committed stream's upstream; a finished reply ignores it
      }
      return;
    }
    for (Live a : new ArrayList<>(running)) {
      abandon(a, FailureClass.CANCELLED);
    }
    finishFailure(FailureClass.CANCELLED);
  }

  /** Stops an attempt that must not count: a hedge loser, or one the caller no longer wants. */
  private void abandon(Live a, FailureClass reason) {
    settle(a);
    a.cancellation.cancel();
    registry.abandoned(a.target.id(), a.permitted);
    attempts.add(new Attempt(a.target, AttemptResult.CANCELLED, reason,
        Duration.ofNanos(ticker.read() - a.startNanos), 0, a.hedge, reason == null ? "lost the hedge" : "caller left"));
    metric(a.target, "cancelled", (ticker.read() - a.startNanos) / 1e9);
  }

  private void finishFailure(FailureClass override) {
    if (done) {
      return;
    }
    done = true;
    cancelTimers();
    unregisterCaller.run();
    for (Live a : new ArrayList<>(running)) {
      abandon(a, override);
    }
    Snapshot after = registry.snapshot();
    Instant retryAt = null;
    FailureClass skippedFailure = null;
    for (List<Target> list : List.of(plan.targets(), plan.skipped())) {
      for (Target target : list) {
        TargetState state = after.state(target.id());
        if (skippedFailure == null) {
          skippedFailure = state.lastFailure();
        }
        Instant at = state.available(after.now()) ? null : state.reopensAt();
        if (at != null && (retryAt == null || at.isBefore(retryAt))) {
          retryAt = at;
        }
      }
    }
    boolean nowhere = plan.targets().isEmpty() && plan.skipped().isEmpty();
    // a route with nothing to call (an unknown model family, an unconfigured provider) is the
    // caller's or the operator's problem, not an outage to wait out
    FailureClass failureClass = override != null ? override
        : nowhere ? FailureClass.CALLER_FAULT
        : AllTargetsFailedException.mostTelling(attempts, skippedFailure);
    Routing routing = routing(null);
    String message;
    if (nowhere) {
      message = "route '" + plan.routeName() + "' has no configured target for model '"
          + request.request().model() + "'; add a route for it or configure its provider";
    } else if (plan.targets().isEmpty()) {
      message = "route '" + plan.routeName() + "': no target available (" + plan.skipped().size()
          + " open or cooling down, last resort " + plan.route().lastResort().configName() + ")";
    } else {
      message = "route '" + plan.routeName() + "': all " + attempts.size() + " attempts failed, most tellingly "
          + failureClass.name().toLowerCase(Locale.ROOT);
    }
    metrics(m -> m.request(plan.routeName(), failureClass.name().toLowerCase(Locale.ROOT)));
    promise.fail(new AllTargetsFailedException(message, routing, failureClass, retryAt, lastFailure));
  }

  private Routing routing(Target chosen) {
    return new Routing(plan.routeName(), plan.strategy(), chosen, attempts, plan.skipped(), plan.lastResort());
  }

  private void settle(Live a) {
    a.settled = true;
    running.remove(a);
    a.timer = cancel(a.timer);
  }

  private void cancelTimers() {
    totalTimer = cancel(totalTimer);
    hedgeTimer = cancel(hedgeTimer);
  }

  private Timer timer(Duration delay, Runnable action) {
    return timers.schedule(delay, action);
  }

  private static Timer cancel(Timer timer) {
    return ContextTimers.cancel(timer);
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private void metric(Target target, String outcome, double seconds) {
    if (metrics != null) {
      metrics.attempt(target.id(), outcome, seconds);
    }
  }

  private void metrics(Consumer<Metrics> action) {
    if (metrics != null) {
      action.accept(metrics);
    }
  }

  private static ProviderException classify(Throwable cause) {
    if (cause instanceof ProviderException e) {
      return e;
    }
    // not a classified provider failure: a bug or an unexpected library error; fail over, it may be local
    return ProviderException.of(FailureClass.SERVER, "unexpected failure: " + cause, cause);
  }
}
