package dev.junction.api;

import dev.junction.metrics.Metrics;
import dev.junction.provider.CanonicalJson;
import dev.junction.routing.FailoverExecutor;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/messages}, Anthropic-compatible, streaming or not. Any target may answer: its
 * reply comes back through the canonical form, which is Anthropic's own, so for an Anthropic target
 * this is a faithful relay and for any other a translation (docs/architecture.md, "The model proxy").
 */
final class MessagesHandler implements Handler<RoutingContext> {
  private final FailoverExecutor executor;
  private final Metrics metrics;

  MessagesHandler(FailoverExecutor executor, Metrics metrics) {
    this.executor = executor;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ProxyCall call = ProxyCall.begin(ctx, metrics, "messages");
    Future.succeededFuture(ctx)
        .map(c -> MessagesRequest.read(Requests.body(c), false))
        .compose(request -> request.stream()
            ? executor.executeStream(call.route(request)).<Runnable>map(o -> () -> ProxyStream.relay(call, o, SseFrames.anthropic()))
            : executor.execute(call.route(request)).<Runnable>map(o ->
                () -> call.json(o.routing(), CanonicalJson.encodeResponse(o.value()).toBuffer())))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            ar.result().run();
          } else {
            call.fail(ar.cause());
          }
        });
  }
}
