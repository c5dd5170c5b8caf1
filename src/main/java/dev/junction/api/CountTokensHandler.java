package dev.junction.api;

import dev.junction.metrics.Metrics;
import dev.junction.provider.CallerBody;
import dev.junction.provider.FailureClass;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ProviderClient;
import dev.junction.provider.ProviderException;
import dev.junction.provider.ProviderKind;
import dev.junction.routing.Attributes;
import dev.junction.routing.Plan;
import dev.junction.routing.RouteRequest;
import dev.junction.routing.RoutingCore;
import dev.junction.routing.Target;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/messages/count_tokens}. The call is planned like a proxy call; when the target
 * that would answer it is an Anthropic one, it counts with its own tokenizer. Otherwise (or when
 * that target cannot be reached) the answer is the routing estimate, four characters a token, and says
 * so in {@code x-junction-estimate: true}: a client sizing its context must know the number is rough.
 * A bad request stays a 400: an estimate would hide it.
 */
final class CountTokensHandler implements Handler<RoutingContext> {
  static final String ESTIMATE = "x-junction-estimate";

  private final RoutingCore routing;
  private final Metrics metrics;

  CountTokensHandler(RoutingCore routing, Metrics metrics) {
    this.routing = routing;
    this.metrics = metrics;
  }

  /** A count and where it came from. */
  private record Count(long tokens, Plan plan, Target target, boolean estimate, long upstreamNanos) {
  }

  @Override
  public void handle(RoutingContext ctx) {
    ProxyCall call = ProxyCall.begin(ctx, metrics, "count_tokens");
    Future.succeededFuture(ctx)
        .map(c -> Requests.body(c))
        .compose(body -> count(call, MessagesRequest.read(body, true), body))
        .onComplete(ar -> {
          if (ar.failed()) {
            call.fail(ar.cause());
            return;
          }
          Count count = ar.result();
          ctx.response().putHeader(ESTIMATE, Boolean.toString(count.estimate()));
          call.head(count.plan().routeName(), count.target(), count.estimate() ? 0 : 1, count.upstreamNanos(), false);
          call.json(null, new JsonObject().put("input_tokens", count.tokens()).toBuffer());
        });
  }

  private Future<Count> count(ProxyCall call, ModelRequest request, JsonObject body) {
    RouteRequest routed = call.route(request, new CallerBody(ProviderKind.ANTHROPIC, body));
    Plan plan = routing.executor().plan(routed);
    // only the target that would answer counts: another provider's tokenizer would mislead
    Target first = plan.targets().isEmpty() ? null : plan.targets().get(0);
    ProviderClient client = first == null ? null : routing.providers().client(first);
    if (client == null || client.config().kind() != ProviderKind.ANTHROPIC) {
      return Future.succeededFuture(estimate(request, plan));
    }
    long sent = System.nanoTime();
    return client.countTokens(request.withModel(first.model()), routed.options())
        .map(n -> new Count(n, plan, first, false, System.nanoTime() - sent))
        .recover(e -> e instanceof ProviderException p && p.failureClass() == FailureClass.CALLER_FAULT
            ? Future.failedFuture(e) : Future.succeededFuture(estimate(request, plan)));
  }

  private static Count estimate(ModelRequest request, Plan plan) {
    Target first = plan.targets().isEmpty() ? null : plan.targets().get(0);
    return new Count(Attributes.estimateTokens(request), plan, first, true, 0);
  }
}
