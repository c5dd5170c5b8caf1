package dev.junction.api;

import dev.junction.metrics.Metrics;
import dev.junction.provider.CallerBody;
import dev.junction.provider.CanonicalJson;
import dev.junction.provider.ProviderKind;
import dev.junction.routing.FailoverExecutor;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/messages}, Anthropic-compatible, streaming or not. The body is validated and read
 * into the canonical form (routing needs its attributes; a failover to another protocol needs the
 * canonical request); an Anthropic target is sent the caller's own body with only the model
 * changed, any other target the canonical request translated. The reply comes back through the
 * canonical form, which is Anthropic's own (docs/architecture.md, "The model proxy").
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
        .map(c -> Requests.members(c))
        .map(body -> call.route(MessagesRequest.read(body.json(), false), CallerBody.of(ProviderKind.ANTHROPIC, body)))
        .compose(routed -> routed.request().stream()
            ? executor.executeStream(routed).<Runnable>map(o -> () -> ProxyStream.relay(call, o, SseFrames.anthropic()))
            : executor.execute(routed).<Runnable>map(o ->
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
