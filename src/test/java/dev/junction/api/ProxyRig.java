package dev.junction.api;

import dev.junction.testing.FakeUpstream;
import dev.junction.testing.Gateway;
import dev.junction.testing.Http;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A gateway with two fake upstreams, one Anthropic and one OpenAI, under the repository's default
 * routes: {@code claude-*} goes to Anthropic first and fails over to {@code gpt-5.4} on OpenAI,
 * {@code gpt-*} the other way round. {@link #startWithFastRoute()} puts it under a table of its own
 * instead.
 */
final class ProxyRig implements AutoCloseable {
  static final String ANTHROPIC_KEY = "sk-ant-upstream";
  static final String OPENAI_KEY = "sk-openai-upstream";

  final Vertx vertx;
  final FakeUpstream anthropic;
  final FakeUpstream openai;
  final Gateway gateway;
  final Http http;
  /** The route directory this rig wrote and removes on close, or null. */
  private Path ownRoutes;

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
  static ProxyRig start(Path routesDir) throws Exception {
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

  /**
   * A rig under a route table of its own, in a temporary directory that {@link #close()} removes: the
   * model alias {@code fast} (a proxy call) tries Claude Haiku on Anthropic, then {@code gpt-5.4} on
   * OpenAI; any other model goes only where it is named.
   */
  static ProxyRig startWithFastRoute() throws Exception {
    Path routes = Files.createTempDirectory("junction-proxy-routes");
    Files.writeString(routes.resolve("proxy.yaml"), String.join("\n",
        "targets:",
        "  haiku: { provider: anthropic, model: claude-haiku-4-5 }",
        "  gpt: { provider: openai, model: gpt-5.4 }",
        "routes:",
        "  - name: fast",
        "    when: { task: proxy, model: fast }",
        "    try: [haiku, gpt]",
        "  - name: default",
        "    priority: -10",
        "    try: [requested]",
        ""));
    ProxyRig rig = start(routes);
    rig.ownRoutes = routes;
    return rig;
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
    if (ownRoutes != null) {
      try (var files = Files.list(ownRoutes)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(ownRoutes);
    }
  }
}
