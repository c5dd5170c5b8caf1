package dev.junction.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shipped default table, wired as a gateway would: a requested Claude model fails over to GPT. */
@ExtendWith(VertxExtension.class)
class RoutingCoreIT {

  @Test
  void shouldFailOverFromTheNativeProviderWithTheDefaultRoutes(Vertx vertx) throws Exception {
    FakeUpstream anthropic = FakeUpstream.start(vertx).await()
        .otherwise(Reply.fixture("anthropic/error_529_overloaded.json"));
    FakeUpstream openai = FakeUpstream.start(vertx).await()
        .otherwise(Reply.fixture("openai-chat/completion_text.json"));
    FakeTime time = new FakeTime();
    ProviderClient a = ProviderClients.create(vertx,
        ProviderConfig.of("anthropic", ProviderKind.ANTHROPIC, anthropic.baseUrl(), "k"), time);
    ProviderClient o = ProviderClients.create(vertx,
        ProviderConfig.of("openai", ProviderKind.OPENAI, openai.baseUrl(), "k"), time);
    Metrics metrics = Metrics.create();
    RoutingCore core = RoutingCore.create(vertx, Path.of("routes"), Map.of("anthropic", a, "openai", o), time,
        Ticker.systemTicker(), metrics);
    try {
      Outcome<ModelResponse> outcome = core.executor().execute(RouteRequest.of(SubTask.TURN,
          ModelRequest.builder("claude-opus-4-6").message(Message.user("hi")).maxTokens(32).build()))
          .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      JsonObject routing = outcome.routing().toJson();
      assertEquals("requested-claude", routing.getString("route"));
      assertEquals("gpt", routing.getString("target"));
      assertEquals(List.of("requested", "gpt"), routing.getJsonArray("attempts").stream()
          .map(x -> ((JsonObject) x).getString("target")).toList());
      assertEquals("overloaded", routing.getJsonArray("attempts").getJsonObject(0).getString("failure_class"));
      assertTrue(openai.lastRequest().body().toString().contains("\"model\":\"gpt-5.4\""));
      assertTrue(core.registry().toJson().encode().contains("anthropic/claude-opus-4-6"));
    } finally {
      core.close();
      a.close();
      o.close();
      anthropic.close();
      openai.close();
    }
  }
}
