package dev.junction.api;

import dev.junction.metrics.Metrics;
import dev.junction.provider.CallerBody;
import dev.junction.provider.CanonicalJson;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.ProviderKind;
import dev.junction.routing.FailoverExecutor;
import dev.junction.routing.RouteRequest;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/messages}, Anthropic-compatible, streaming or not. The body is validated and read
 * into the canonical form (routing needs its attributes; a failover to another protocol needs the
 * canonical request); an Anthropic target is sent the caller's own body with only the model
 * changed, any other target the canonical request translated. An Anthropic target's reply goes back
 * as it came (a stream too, see {@code SseRelay}); any other's through the canonical form, which is
 * Anthropic's own (docs/architecture.md, "The model proxy").
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
        .compose(members -> {
          CallerBody body = CallerBody.of(ProviderKind.ANTHROPIC, members);
          RouteRequest routed = call.route(MessagesRequest.read(members.json(), false), body);
          return routed.request().stream()
              ? executor.executeStream(routed).<Runnable>map(o -> () -> ProxyStream.relay(call, o, SseFrames.anthropic()))
              : executor.execute(routed).<Runnable>map(o -> () -> call.json(o.routing(), reply(body, o.value())));
        })
        .onComplete(ar -> {
          if (ar.succeeded()) {
            ar.result().run();
          } else {
            call.fail(ar.cause());
          }
        });
  }

  /** The upstream's own bytes when it spoke Anthropic's protocol, else the reply encoded. */
  private static Buffer reply(CallerBody body, ModelResponse response) {
    Buffer relayed = body.replyBytes(response);
    return relayed != null ? relayed : CanonicalJson.encodeResponse(response).toBuffer();
  }
}
