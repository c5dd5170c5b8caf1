package dev.junction.metrics;

import dev.junction.provider.Cost;
import dev.junction.provider.Usage;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Junction's metric families on one {@link PrometheusRegistry}. Every method is thread-safe and
 * allocation-light; label values pass through {@link LabelGuard}s. {@link #scrape()} renders the
 * Prometheus text exposition for {@code GET /metrics}.
 */
public final class Metrics {
  /** Content type of {@link #scrape()}. */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
  private static final double[] LATENCY_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
      120, 300};
  /** Gateway-side time of a proxied call: sub-millisecond resolution where the budget is. */
  private static final double[] OVERHEAD_BUCKETS = {0.00005, 0.0001, 0.00025, 0.0005, 0.00075, 0.001, 0.0015, 0.0025,
      0.005, 0.01, 0.025, 0.1};

  private final PrometheusRegistry registry;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.builder().build();
  private static final String NO_LABEL = "";
  private final LabelGuard targets = new LabelGuard(200);
  private final LabelGuard tenants = new LabelGuard(500);
  private final LabelGuard routes = new LabelGuard(200);

  private final Counter attempts;
  private final Histogram attemptDuration;
  private final Histogram firstToken;
  private final Gauge breakerState;
  private final Counter failovers;
  private final Counter hedges;
  private final Counter requests;
  private final Counter tokens;
  private final Counter cost;
  private final Gauge inFlight;
  private final Histogram proxyOverhead;

  // Data points of the per-call series, found by their label values: a metric's own lookup
  // (labelValues) builds a label list and searches its index on every call.
  private final Points<AttemptPoints> attemptPoints = new Points<>();
  private final Points<UsagePoints> usagePoints = new Points<>();
  private final Points<DistributionDataPoint> firstTokenPoints = new Points<>();
  private final Points<GaugeDataPoint> inFlightPoints = new Points<>();
  private final Points<CounterDataPoint> requestPoints = new Points<>();
  private final Points<DistributionDataPoint> overheadPoints = new Points<>();

  private record AttemptPoints(CounterDataPoint count, DistributionDataPoint duration) {
  }

  /** One target's and tenant's token and cost series, each made when it first counts something. */
  private final class UsagePoints {
    private final String target;
    private final String tenant;
    private final CounterDataPoint[] kinds = new CounterDataPoint[TOKEN_KINDS.length];
    private CounterDataPoint cost;

    UsagePoints(String target, String tenant) {
      this.target = target;
      this.tenant = tenant;
    }

    void add(int kind, long count) {
      if (count > 0) {
        CounterDataPoint p = kinds[kind];
        if (p == null) {
          // a race makes the same point twice: labelValues hands out one per label set
          p = tokens.labelValues(target, tenant, TOKEN_KINDS[kind]);
          kinds[kind] = p;
        }
        p.inc(count);
      }
    }

    void cost(double usd) {
      CounterDataPoint p = cost;
      if (p == null) {
        p = Metrics.this.cost.labelValues(target, tenant);
        cost = p;
      }
      p.inc(usd);
    }
  }

  private static final String[] TOKEN_KINDS = {"input", "output", "cache_read", "cache_write"};

  /**
   * Data points by two label values, the first one bounded by a {@link LabelGuard}. Only values the
   * guard let through are kept here, so this map is as bounded as the series themselves; a value the
   * guard turned into {@code other} is looked up each time.
   */
  private static final class Points<P> {
    private static final String NONE = "";
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, P>> byFirst = new ConcurrentHashMap<>();

    P get(String first, String second, LabelGuard guard, BiFunction<String, String, P> create) {
      String key = first == null ? NONE : first;
      ConcurrentHashMap<String, P> inner = byFirst.get(key);
      P p = inner == null ? null : inner.get(second);
      if (p != null) {
        return p;
      }
      String label = guard == null ? first : guard.value(first);
      p = create.apply(label, second);
      if (label.equals(first) || first == null || first.isEmpty()) {
        P raced = byFirst.computeIfAbsent(key, k -> new ConcurrentHashMap<>()).putIfAbsent(second, p);
        return raced != null ? raced : p;
      }
      return p;
    }
  }

  public Metrics(PrometheusRegistry registry) {
    this.registry = registry;
    attempts = Counter.builder().name("junction_model_attempts_total")
        .help("Model calls sent to a target, by outcome (ok or the failure class)")
        .labelNames("target", "outcome").register(registry);
    attemptDuration = Histogram.builder().name("junction_model_attempt_duration_seconds")
        .help("Duration of model calls by target and outcome (streams: until commit)").unit(Unit.SECONDS)
        .classicOnly().classicUpperBounds(LATENCY_BUCKETS).labelNames("target", "outcome").register(registry);
    firstToken = Histogram.builder().name("junction_time_to_first_token_seconds")
        .help("Time from sending a model call to its first token (non-streaming: to the reply)").unit(Unit.SECONDS)
        .classicOnly().classicUpperBounds(LATENCY_BUCKETS).labelNames("target").register(registry);
    breakerState = Gauge.builder().name("junction_breaker_state")
        .help("Circuit breaker state per target: 0 closed, 1 half-open, 2 open, 3 forced open, 4 forced closed")
        .labelNames("target").register(registry);
    failovers = Counter.builder().name("junction_failovers_total")
        .help("Attempts abandoned for the next target, by route, target left and failure class")
        .labelNames("route", "from_target", "reason").register(registry);
    hedges = Counter.builder().name("junction_hedges_total")
        .help("Hedged second attempts started, by route").labelNames("route").register(registry);
    requests = Counter.builder().name("junction_routed_requests_total")
        .help("Routed model calls (all attempts together), by route and outcome").labelNames("route", "outcome")
        .register(registry);
    tokens = Counter.builder().name("junction_tokens_total")
        .help("Tokens billed by target, tenant and kind (input, output, cache_read, cache_write)")
        .labelNames("target", "tenant", "kind").register(registry);
    cost = Counter.builder().name("junction_cost_usd_total")
        .help("Cost of successful model calls in USD at configured prices, by target and tenant")
        .labelNames("target", "tenant").register(registry);
    inFlight = Gauge.builder().name("junction_inflight_attempts")
        .help("Model calls running now, by target").labelNames("target").register(registry);
    proxyOverhead = Histogram.builder().name("junction_proxy_overhead_seconds")
        .help("Gateway time of a model-proxy call, upstream time excluded (streams: until the response head), "
            + "by endpoint and mode").unit(Unit.SECONDS)
        .classicOnly().classicUpperBounds(OVERHEAD_BUCKETS).labelNames("endpoint", "mode").register(registry);
  }

  public static Metrics create() {
    return new Metrics(new PrometheusRegistry());
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** One attempt ended. @param outcome {@code ok}, or a failure class in lower case */
  public void attempt(String target, String outcome, double seconds) {
    AttemptPoints p = attemptPoints.get(target, outcome, targets,
        (t, o) -> new AttemptPoints(attempts.labelValues(t, o), attemptDuration.labelValues(t, o)));
    p.count.inc();
    p.duration.observe(seconds);
  }

  public void firstToken(String target, double seconds) {
    firstTokenPoints.get(target, NO_LABEL, targets, (t, x) -> firstToken.labelValues(t)).observe(seconds);
  }

  public void breakerState(String target, int value) {
    breakerState.labelValues(targets.value(target)).set(value);
  }

  public void failover(String route, String fromTarget, String reason) {
    failovers.labelValues(routes.value(route), targets.value(fromTarget), reason).inc();
  }

  public void hedge(String route) {
    hedges.labelValues(routes.value(route)).inc();
  }

  /** One routed call ended. @param outcome {@code ok}, or the most telling failure class */
  public void request(String route, String outcome) {
    requestPoints.get(route, outcome, routes, (r, o) -> requests.labelValues(r, o)).inc();
  }

  public void usage(String target, String tenant, Usage usage, Cost callCost) {
    // the tenant's guard first: a tenant past its bound is "other", and a usage point is cached
    // under the target only for tenants the guard let through
    String n = tenants.value(tenant);
    UsagePoints p = usagePoints.get(target, n, targets, UsagePoints::new);
    p.add(0, usage.inputTokens());
    p.add(1, usage.outputTokens());
    p.add(2, usage.cacheReadTokens());
    p.add(3, usage.cacheWriteTokens());
    if (callCost != null && callCost.known()) {
      p.cost(callCost.usd().doubleValue());
    }
  }

  public void inFlight(String target, int delta) {
    inFlightPoints.get(target, NO_LABEL, targets, (t, x) -> inFlight.labelValues(t)).inc(delta);
  }

  /**
   * One model-proxy call's gateway-side time.
   *
   * @param endpoint a fixed name ({@code messages}, {@code chat_completions}, {@code count_tokens})
   * @param mode {@code json} or {@code stream}
   */
  /** A gauge read at scrape time, for state another component owns (open streams, session runners). */
  public void gauge(String name, String help, java.util.function.DoubleSupplier value) {
    io.prometheus.metrics.core.metrics.GaugeWithCallback.builder().name(name).help(help)
        .callback(cb -> cb.call(value.getAsDouble())).register(registry);
  }

  /** A counter read at scrape time from a monotonic count another component keeps. */
  public void counter(String name, String help, java.util.function.DoubleSupplier value) {
    io.prometheus.metrics.core.metrics.CounterWithCallback.builder().name(name).help(help)
        .callback(cb -> cb.call(value.getAsDouble())).register(registry);
  }

  public void proxyOverhead(String endpoint, String mode, double seconds) {
    overheadPoints.get(endpoint, mode, null, (e, m) -> proxyOverhead.labelValues(e, m)).observe(seconds);
  }

  /** The text exposition (format 0.0.4) of every registered family. */
  public byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
    return out.toByteArray();
  }

  public String scrapeText() {
    return new String(scrape(), StandardCharsets.UTF_8);
  }
}
