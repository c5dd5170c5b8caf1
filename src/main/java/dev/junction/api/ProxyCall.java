package dev.junction.api;

import dev.junction.metrics.Metrics;
import dev.junction.provider.CallOptions;
import dev.junction.provider.CallerBody;
import dev.junction.provider.Cancellation;
import dev.junction.provider.ModelRequest;
import dev.junction.routing.AllTargetsFailedException;
import dev.junction.routing.Attempt;
import dev.junction.routing.Attributes;
import dev.junction.routing.RouteRequest;
import dev.junction.routing.Routing;
import dev.junction.routing.SubTask;
import dev.junction.routing.Target;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * One call on a model-proxy endpoint: when it arrived, who made it, the cancellation that resets
 * the upstream if the caller disconnects, and the {@code x-junction-*} head every proxy response
 * carries. Gateway overhead is wall time since arrival minus the time attempts spent upstream
 * (until their reply, or for a stream until its first event); a hedge runs beside the attempt it
 * hedges, so only non-hedge attempts are subtracted.
 */
final class ProxyCall {
  static final String ROUTE = "x-junction-route";
  static final String TARGET = "x-junction-target";
  static final String ATTEMPTS = "x-junction-attempts";
  static final String OVERHEAD = "x-junction-overhead-ms";
  // Pre-encoded names: their hash and bytes are computed once, not on every response.
  private static final CharSequence ROUTE_NAME = HttpHeaders.createOptimized(ROUTE);
  private static final CharSequence TARGET_NAME = HttpHeaders.createOptimized(TARGET);
  private static final CharSequence ATTEMPTS_NAME = HttpHeaders.createOptimized(ATTEMPTS);
  private static final CharSequence OVERHEAD_NAME = HttpHeaders.createOptimized(OVERHEAD);
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

  private final RoutingContext ctx;
  private final Metrics metrics;
  private final String endpoint;
  private final long arrivedNanos = System.nanoTime();
  private final Cancellation cancellation = Cancellation.create();

  private ProxyCall(RoutingContext ctx, Metrics metrics, String endpoint) {
    this.ctx = ctx;
    this.metrics = metrics;
    this.endpoint = endpoint;
  }

  /** @param endpoint a fixed metric label naming the endpoint */
  static ProxyCall begin(RoutingContext ctx, Metrics metrics, String endpoint) {
    ProxyCall call = new ProxyCall(ctx, metrics, endpoint);
    // the caller left: its connection (HTTP/1.1) or stream (HTTP/2) closed before the response ended;
    // HTTP/2 also closes the stream when the response ends, which is no reason to cancel anything
    HttpServerResponse response = ctx.response();
    response.closeHandler(v -> {
      if (!response.ended()) {
        call.cancellation.cancel();
      }
    });
    return call;
  }

  RoutingContext ctx() {
    return ctx;
  }

  HttpServerResponse response() {
    return ctx.response();
  }

  Cancellation cancellation() {
    return cancellation;
  }

  String tenant() {
    return ctx.get(Auth.TENANT);
  }

  /**
   * The routed call: sub-task proxy, the caller's model and tenant as attributes, beta flags passed
   * on, and the caller's own body for a target of the same protocol to relay.
   */
  RouteRequest route(ModelRequest request, CallerBody body) {
    String beta = ctx.request().getHeader("anthropic-beta");
    CallOptions options = CallOptions.DEFAULT.withCancellation(cancellation).withCallerBody(body)
        .withHeaders(beta == null ? Map.of() : Map.of("anthropic-beta", beta));
    // the size from the bytes the caller sent: the text estimate would encode every tool schema again
    long bodyBytes = ctx.body() == null || ctx.body().buffer() == null ? 0 : ctx.body().length();
    Attributes attributes = Attributes.of(request, Attributes.estimateTokens(request, bodyBytes)).withTenant(tenant());
    return new RouteRequest(SubTask.PROXY, attributes, request, options);
  }

  /** Puts the routing head on the response and records the overhead; call just before the status line goes. */
  void head(Routing routing, boolean stream) {
    long upstream = 0;
    for (Attempt attempt : routing.attempts()) {
      if (!attempt.hedge()) {
        upstream += attempt.latency().toNanos();
      }
    }
    head(routing.route(), routing.chosen(), routing.attempts().size(), upstream, stream);
  }

  /** @param target null when no target answered */
  void head(String route, Target target, int attempts, long upstreamNanos, boolean stream) {
    long overhead = Math.max(0, System.nanoTime() - arrivedNanos - upstreamNanos);
    HttpServerResponse resp = ctx.response();
    resp.putHeader(ROUTE_NAME, route).putHeader(ATTEMPTS_NAME, Integer.toString(attempts))
        .putHeader(OVERHEAD_NAME, millis(overhead));
    if (target != null) {
      resp.putHeader(TARGET_NAME, target.id());
    }
    metrics.proxyOverhead(endpoint, stream ? "stream" : "json", overhead / 1e9);
  }

  /** Nanoseconds as milliseconds with three decimals ({@code 0.042}), without going through a double. */
  static String millis(long nanos) {
    long micros = (nanos + 500) / 1_000;
    long frac = micros % 1_000;
    return (micros / 1_000) + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
  }

  /** @param routing null when the caller already put the head */
  void json(Routing routing, Buffer body) {
    if (ctx.response().closed()) {
      return;
    }
    if (routing != null) {
      head(routing, false);
    }
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body);
  }

  /** Hands a failure to the error mapper, with the routing head when routing got that far. */
  void fail(Throwable failure) {
    if (ctx.response().closed() || ctx.response().ended()) {
      return;
    }
    if (failure instanceof AllTargetsFailedException e && !ctx.response().headWritten()) {
      head(e.routing(), false);
    }
    ctx.fail(failure);
  }
}
