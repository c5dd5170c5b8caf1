package dev.junction.routing;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.junction.metrics.Metrics;
import dev.junction.provider.CallOptions;
import dev.junction.provider.Cost;
import dev.junction.provider.EventStream;
import dev.junction.provider.FailureClass;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.ProviderClient;
import dev.junction.provider.ProviderException;
import dev.junction.provider.Usage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Runs a routed model call: plans it once against the current table and a registry snapshot, then
 * tries the plan's targets in order, failing over before commit. Per-attempt and total timeouts
 * and hedging use Vert.x timers (nothing blocks, nothing sleeps); breakers, cooldowns and
 * statistics are updated in the {@link TargetRegistry}; every attempt is kept in the outcome or in
 * the {@link AllTargetsFailedException}. Losers are cancelled through their {@code Cancellation},
 * which resets the upstream request.
 *
 * <p>Commit: a reply commits when it arrives and passes {@link ReplyCheck}; a stream commits when
 * its first event arrives. After commit there is no failover: a stream that then fails reports the
 * failure to its reader, and its target's breaker counts it.
 */
public final class FailoverExecutor {
  private final Vertx vertx;
  private final Supplier<RouteTable> tables;
  private final TargetRegistry registry;
  private final ProviderDirectory providers;
  private final Metrics metrics;
  private final Ticker ticker;

  /**
   * @param tables the current table (e.g. {@link RouteTables}); read once per call
   * @param metrics may be null
   * @param ticker nanosecond source for latencies ({@link Ticker#systemTicker()} in production)
   */
  public FailoverExecutor(Vertx vertx, Supplier<RouteTable> tables, TargetRegistry registry,
      ProviderDirectory providers, Metrics metrics, Ticker ticker) {
    this.vertx = vertx;
    this.tables = tables;
    this.registry = registry;
    this.providers = providers;
    this.metrics = metrics;
    this.ticker = ticker;
  }

  /** Plans a call against the current table and a fresh snapshot, without running it. */
  public Plan plan(RouteRequest request) {
    return tables.get().plan(request.task(), request.attributes(), registry.snapshot());
  }

  /** A non-streaming call; fails with {@link AllTargetsFailedException} when no target answers. */
  public Future<Outcome<ModelResponse>> execute(RouteRequest request) {
    return run(request, reply);
  }

  /**
   * A streaming call; the outcome's stream is committed (its first event has been decoded) and
   * observed (its end updates the registry, metrics and {@link Outcome#completion()}).
   */
  public Future<Outcome<EventStream>> executeStream(RouteRequest request) {
    return run(request, stream);
  }

  private <T> Future<Outcome<T>> run(RouteRequest request, AttemptMode<T> mode) {
    Snapshot snapshot = registry.snapshot();
    Plan plan = tables.get().plan(request.task(), request.attributes(), snapshot);
    Context context = vertx.getOrCreateContext();
    Promise<Outcome<T>> promise = Promise.promise();
    FailoverRun<T> run = new FailoverRun<>(context, registry, providers, metrics, ticker, plan, snapshot,
        request, mode, promise);
    if (Vertx.currentContext() == context) {
      run.start();
    } else {
      context.runOnContext(v -> run.start());
    }
    return promise.future();
  }

  private Cost costOf(AttemptMode.Committed winner, String model, Usage usage) {
    Cost cost = winner.client().cost(model != null ? model : winner.target().model(), usage);
    if (cost == Cost.UNKNOWN || !cost.known()) {
      // providers answer with dated ids; fall back to the configured id's price
      cost = winner.client().cost(winner.target().model(), usage);
    }
    if (metrics != null) {
      metrics.usage(winner.target().id(), winner.tenant(), usage, cost);
    }
    return cost;
  }

  private final AttemptMode<ModelResponse> reply = new AttemptMode<>() {
    @Override
    public boolean streaming() {
      return false;
    }

    @Override
    public Future<ModelResponse> call(ProviderClient client, ModelRequest request, CallOptions options) {
      return client.send(request, options);
    }

    @Override
    public String check(ModelResponse value, RouteRequest request) {
      return ReplyCheck.problem(value, request.request().tools());
    }

    @Override
    public void discard(ModelResponse value) {
      // a late reply holds nothing; dropping it is enough
    }

    @Override
    public Outcome<ModelResponse> commit(ModelResponse value, Committed winner, Routing routing) {
      Duration latency = Duration.ofNanos(winner.commitNanos() - winner.startNanos());
      winner.ended().run();
      registry.succeeded(winner.target().id(), winner.permitted(), latency, latency, latency);
      Cost cost = costOf(winner, value.model(), value.usage());
      return new Outcome<>(value, routing, Future.succeededFuture(new Completion(value.usage(), cost, null)));
    }
  };

  private final AttemptMode<EventStream> stream = new AttemptMode<>() {
    @Override
    public boolean streaming() {
      return true;
    }

    @Override
    public Future<EventStream> call(ProviderClient client, ModelRequest request, CallOptions options) {
      return client.stream(request, options);
    }

    @Override
    public String check(EventStream value, RouteRequest request) {
      return null; // nothing to judge at the first event; the end is judged by ObservedEventStream
    }

    @Override
    public void discard(EventStream value) {
      value.cancel();
    }

    @Override
    public Outcome<EventStream> commit(EventStream value, Committed winner, Routing routing) {
      Promise<Completion> completion = Promise.promise();
      Duration ttft = Duration.ofNanos(winner.commitNanos() - winner.startNanos());
      String id = winner.target().id();
      ObservedEventStream observed = new ObservedEventStream(value,
          acc -> ReplyCheck.problem(acc.result(), winner.request().request().tools()),
          (usage, failure) -> {
            winner.ended().run();
            Duration latency = Duration.ofNanos(ticker.read() - winner.startNanos());
            if (failure == null) {
              // slow-call detection judges time to first token: a long answer is not a slow provider
              registry.succeeded(id, winner.permitted(), latency, ttft, ttft);
              completion.tryComplete(new Completion(usage, costOf(winner, null, usage), null));
              return;
            }
            FailureClass failureClass = failure.failureClass();
            if (failureClass == FailureClass.CANCELLED) {
              registry.abandoned(id, winner.permitted());
            } else {
              registry.failed(id, winner.permitted(), failureClass, failure.retryAfter(), latency);
            }
            if (metrics != null) {
              metrics.attempt(id, "stream_" + failureClass.name().toLowerCase(Locale.ROOT),
                  latency.toNanos() / 1e9);
            }
            // tokens already generated are billed even when the stream broke
            completion.tryComplete(new Completion(usage, costOf(winner, null, usage), failureClass));
          });
      return new Outcome<>(observed, routing, completion.future());
    }
  };

  /** Exposed for callers that accumulate a stream themselves: the reply check as an exception. */
  public static ProviderException malformed(ModelResponse response, ModelRequest request) {
    String problem = ReplyCheck.problem(response, request.tools());
    return problem == null ? null : ProviderException.of(FailureClass.MALFORMED, problem);
  }
}
