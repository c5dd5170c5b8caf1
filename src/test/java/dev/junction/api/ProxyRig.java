package dev.junction.api;

import dev.junction.testing.FakeUpstream;
import dev.junction.testing.Gateway;
import dev.junction.testing.Http;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A gateway with two fake upstreams, one Anthropic and one OpenAI, under the repository's default
 * routes: {@code claude-*} goes to Anthropic first and fails over to {@code gpt-5.4} on OpenAI,
 * {@code gpt-*} the other way round.
 */
final class ProxyRig implements AutoCloseable {
  static final String ANTHROPIC_KEY = "sk-ant-upstream";
  static final String OPENAI_KEY = "sk-openai-upstream";

  final Vertx vertx;
  final FakeUpstream anthropic;
  final FakeUpstream openai;
  final Gateway gateway;
  final Http http;

  private ProxyRig(Vertx vertx, FakeUpstream anthropic, FakeUpstream openai, Gateway gateway) {
    this.vertx = vertx;
    this.anthropic = anthropic;
    this.openai = openai;
    this.gateway = gateway;
    this.http = new Http(gateway.baseUrl());
  }

  static ProxyRig start() throws Exception {
    return start(null);
  }

  /** @param routesDir a directory of route files, or null for the repository's {@code routes/} */
  static ProxyRig start(java.nio.file.Path routesDir) throws Exception {
    Vertx vertx = Vertx.vertx();
    FakeUpstream anthropic = FakeUpstream.start(vertx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    FakeUpstream openai = FakeUpstream.start(vertx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Map<String, Object> config = new java.util.HashMap<>(Map.of(
        "server", Map.of("port", 0, "host", "127.0.0.1", "event_loops", 2),
        "providers", Map.of(
            "anthropic", Map.of("kind", "anthropic", "base_url", anthropic.baseUrl(), "api_key", "env:TEST_ANTHROPIC_KEY"),
            "openai", Map.of("kind", "openai", "base_url", openai.baseUrl(), "api_key", "env:TEST_OPENAI_KEY"))));
    if (routesDir != null) {
      config.put("routes", routesDir.toString());
    }
    Gateway gateway = Gateway.start(config, Map.of("TEST_ANTHROPIC_KEY", ANTHROPIC_KEY, "TEST_OPENAI_KEY", OPENAI_KEY), null);
    return new ProxyRig(vertx, anthropic, openai, gateway);
  }

  String baseUrl() {
    return gateway.baseUrl();
  }

  @Override
  public void close() throws Exception {
    gateway.close();
    anthropic.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    openai.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
