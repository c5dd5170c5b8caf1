package dev.junction.app;

import dev.junction.harness.BuiltInTools;
import dev.junction.provider.Cancellation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** The toolset used when no sandbox is wired: agents see no built-in tools, and asking for one says why. */
enum Unsandboxed implements BuiltInTools {
  INSTANCE;

  @Override
  public List<Tool> enabled(JsonArray agentTools) {
    return List.of();
  }

  @Override
  public Future<Output> run(String sessionId, JsonObject environment, String name, JsonObject input, Cancellation cancellation) {
    return Future.failedFuture(new IllegalStateException(unavailableReason()));
  }

  @Override
  public Future<Void> release(String sessionId) {
    return Future.succeededFuture();
  }

  @Override
  public String unavailableReason() {
    return "no sandbox is configured for built-in tools";
  }
}
