package dev.junction.api;

import dev.junction.metrics.Metrics;
import dev.junction.routing.RoutingCore;
import io.vertx.ext.web.Router;
import java.time.Clock;

/**
 * The model-proxy endpoints: Anthropic Messages (and its token count), OpenAI Chat Completions,
 * and the model list. Every call is routed on the {@code proxy} sub-task with the requested model
 * as an attribute, behind the same tenant keys as the rest of {@code /v1}.
 */
final class ProxyApi {
  static final String MESSAGES_PATH = "/v1/messages";
  static final String COUNT_TOKENS_PATH = "/v1/messages/count_tokens";
  static final String CHAT_PATH = "/v1/chat/completions";
  static final String MODELS_PATH = "/v1/models";

  private final RoutingCore routing;
  private final Metrics metrics;
  private final Clock clock;

  ProxyApi(RoutingCore routing, Metrics metrics, Clock clock) {
    this.routing = routing;
    this.metrics = metrics;
    this.clock = clock;
  }

  void mount(Router r) {
    r.post(MESSAGES_PATH).handler(new MessagesHandler(routing.executor(), metrics));
    r.post(COUNT_TOKENS_PATH).handler(new CountTokensHandler(routing, metrics));
    r.post(CHAT_PATH).handler(new ChatCompletionsHandler(routing.executor(), metrics, clock));
    r.get(MODELS_PATH).handler(new ModelsHandler(routing, clock.instant()));
  }
}
