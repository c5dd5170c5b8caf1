package dev.junction.metrics;

import dev.junction.provider.Cost;
import dev.junction.provider.Usage;
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
    String t = targets.value(target);
    attempts.labelValues(t, outcome).inc();
    attemptDuration.labelValues(t, outcome).observe(seconds);
  }

  public void firstToken(String target, double seconds) {
    firstToken.labelValues(targets.value(target)).observe(seconds);
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
    requests.labelValues(routes.value(route), outcome).inc();
  }

  public void usage(String target, String tenant, Usage usage, Cost callCost) {
    String t = targets.value(target);
    String n = tenants.value(tenant);
    add(t, n, "input", usage.inputTokens());
    add(t, n, "output", usage.outputTokens());
    add(t, n, "cache_read", usage.cacheReadTokens());
    add(t, n, "cache_write", usage.cacheWriteTokens());
    if (callCost != null && callCost.known()) {
      cost.labelValues(t, n).inc(callCost.usd().doubleValue());
    }
  }

  private void add(String target, String tenant, String kind, long count) {
    if (count > 0) {
      tokens.labelValues(target, tenant, kind).inc(count);
    }
  }

  public void inFlight(String target, int delta) {
    inFlight.labelValues(targets.value(target)).inc(delta);
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
    proxyOverhead.labelValues(endpoint, mode).observe(seconds);
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
