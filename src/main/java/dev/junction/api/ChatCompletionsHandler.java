package dev.junction.api;

import dev.junction.metrics.Metrics;
import dev.junction.provider.CallerBody;
import dev.junction.provider.ProviderKind;
import dev.junction.provider.openai.ChatChunkEncoder;
import dev.junction.provider.openai.ChatReplyEncoder;
import dev.junction.routing.FailoverExecutor;
import dev.junction.routing.RouteRequest;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * {@code POST /v1/chat/completions}, OpenAI-compatible, streaming or not (with
 * {@code stream_options.include_usage}). The request is read into the canonical form and routed
 * like any other proxy call; an OpenAI target is sent the caller's own body with only the model
 * changed; the reply is written back as a {@code chat.completion} or as
 * {@code chat.completion.chunk}s ending in {@code data: [DONE]}. Errors use OpenAI's envelope.
 */
final class ChatCompletionsHandler implements Handler<RoutingContext> {
  private final FailoverExecutor executor;
  private final Metrics metrics;
  private final Clock clock;

  ChatCompletionsHandler(FailoverExecutor executor, Metrics metrics, Clock clock) {
    this.executor = executor;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ProxyCall call = ProxyCall.begin(ctx, metrics, "chat_completions");
    long created = clock.millis() / 1000;
    Future.succeededFuture(ctx)
        .map(c -> Requests.members(c))
        .compose(body -> {
          ChatRequest.Read read = ChatRequest.read(body.json());
          CallerBody caller = CallerBody.of(ProviderKind.OPENAI, body);
          RouteRequest routed = call.route(read.request(), caller);
          String model = read.request().model();
          if (read.request().stream()) {
            SseFrames frames = SseFrames.chat(new ChatChunkEncoder(model, created, read.includeUsage()));
            return executor.executeStream(routed)
                .<Runnable>map(o -> () -> ProxyStream.relay(call, o, frames));
          }
          return executor.execute(routed).<Runnable>map(o -> {
            // An OpenAI target's reply goes back as it came; any other's is translated.
            Buffer relayed = caller.replyBytes(o.value());
            return () -> call.json(o.routing(), relayed != null ? relayed : ChatReplyEncoder.encode(o.value(), model, created).toBuffer());
          });
        })
        .onComplete(ar -> {
          if (ar.succeeded()) {
            ar.result().run();
          } else {
            call.fail(ar.cause());
          }
        });
  }
}
