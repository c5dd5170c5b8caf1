package dev.junction.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.junction.metrics.Metrics;
import dev.junction.provider.Message;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.ProviderClient;
import dev.junction.provider.ProviderClients;
import dev.junction.provider.ProviderConfig;
import dev.junction.provider.ProviderKind;
import dev.junction.testing.FakeTime;
import dev.junction.testing.FakeUpstream;
import dev.junction.testing.FakeUpstream.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Route tables swapped, and a broken edit refused, while 200 calls are in flight: none fails. */
@ExtendWith(VertxExtension.class)
class HotReloadIT {
  private static final String ANTHROPIC_FIRST = """
      targets:
        claude: { provider: anthropic, model: claude-sonnet-4-6 }
        gpt:    { provider: openai, model: gpt-5.2 }
      routes:
        - { name: claude-first, try: [claude, gpt] }
      """;
  private static final String OPENAI_FIRST = ANTHROPIC_FIRST.replace("claude-first, try: [claude, gpt]",
      "gpt-first, try: [gpt, claude]");
  private static final String BROKEN = ANTHROPIC_FIRST.replace("[claude, gpt]", "[claude, gtp]");

  @Test
  void shouldServe200ConcurrentCallsWithoutAFailureWhileTablesReload(Vertx vertx, @TempDir Path dir) throws Exception {
    FakeUpstream anthropic = FakeUpstream.start(vertx).await()
        .otherwise(Reply.fixture("anthropic/message_text.json").after(20));
    FakeUpstream openai = FakeUpstream.start(vertx).await()
        .otherwise(Reply.fixture("openai-chat/completion_text.json").after(20));
    ProviderClient a = ProviderClients.create(vertx,
        ProviderConfig.of("anthropic", ProviderKind.ANTHROPIC, anthropic.baseUrl(), "k"), new FakeTime());
    ProviderClient o = ProviderClients.create(vertx,
        ProviderConfig.of("openai", ProviderKind.OPENAI, openai.baseUrl(), "k"), new FakeTime());
    try {
      Files.writeString(dir.resolve("routes.yaml"), ANTHROPIC_FIRST);
      RouteTables tables = RouteTables.load(dir, Set.of("anthropic", "openai"));
      ProviderDirectory providers = new ProviderDirectory(Map.of("anthropic", a, "openai", o), vertx, new FakeTime());
      TargetRegistry registry = new TargetRegistry(new FakeTime(), id -> BreakerSettings.DEFAULTS, null, null);
      FailoverExecutor executor = new FailoverExecutor(vertx, tables, registry, providers, Metrics.create(),
          Ticker.systemTicker());
      ModelRequest request = ModelRequest.builder("claude-sonnet-4-6").message(Message.user("hi")).maxTokens(64)
          .build();

      List<Future<Outcome<ModelResponse>>> calls = new ArrayList<>();
      int swapped = 0;
      int refused = 0;
      for (int i = 0; i < 200; i++) {
        calls.add(executor.execute(RouteRequest.of(SubTask.TURN, request)));
        if (i % 10 == 9) {
          // a reload every ten calls, one in three of them a broken edit that must be refused
          String next = i % 30 == 29 ? BROKEN : (i / 10) % 2 == 0 ? OPENAI_FIRST : ANTHROPIC_FIRST;
          Files.writeString(dir.resolve("routes.yaml"), next);
          ReloadResult result = tables.reload(vertx).toCompletionStage().toCompletableFuture().get(10,
              TimeUnit.SECONDS);
          if (result.swapped()) {
            swapped++;
          } else {
            refused++;
            assertTrue(result.problems().get(0).contains("unknown target 'gtp'"), result.problems().toString());
          }
        }
      }
      Set<String> routes = new HashSet<>();
      int failed = 0;
      for (Future<Outcome<ModelResponse>> call : calls) {
        try {
          Outcome<ModelResponse> outcome = call.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
          routes.add(outcome.routing().route());
          assertFalse(outcome.value().text().isEmpty());
        } catch (Exception e) {
          failed++;
        }
      }
      assertEquals(0, failed, "failed calls");
      assertTrue(swapped >= 10 && refused >= 6, "swapped " + swapped + ", refused " + refused);
      assertEquals(Set.of("claude-first", "gpt-first"), routes, "calls planned with both tables");
      assertEquals(200, anthropic.requests().size() + openai.requests().size(), "no call needed a second attempt");
    } finally {
      a.close();
      o.close();
      anthropic.close();
      openai.close();
    }
  }
}
