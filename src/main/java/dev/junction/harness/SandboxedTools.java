package dev.junction.harness;

import dev.junction.provider.Cancellation;
import dev.junction.provider.ToolDefinition;
import dev.junction.tools.EnabledTool;
import dev.junction.tools.Sandbox;
import dev.junction.tools.SandboxAvailability;
import dev.junction.tools.SandboxLimits;
import dev.junction.tools.SandboxSpec;
import dev.junction.tools.ToolExecutor;
import dev.junction.tools.Toolset;
import dev.junction.tools.WebFetcher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The built-in toolset on a {@link Sandbox}: one executor per session, opened on its first tool call
 * and kept (with its persistent shell) until the session is released.
 */
public final class SandboxedTools implements BuiltInTools {
  private final Vertx vertx;
  private final Sandbox sandbox;
  private final Path dataDir;
  private final SandboxLimits limits;
  private final WebFetcher web;
  private final ConcurrentHashMap<String, ToolExecutor> executors = new ConcurrentHashMap<>();
  private volatile SandboxAvailability availability = SandboxAvailability.unavailable("the sandbox has not been probed yet");

  public SandboxedTools(Vertx vertx, Sandbox sandbox, Path dataDir, SandboxLimits limits, WebFetcher web) {
    this.vertx = vertx;
    this.sandbox = sandbox;
    this.dataDir = dataDir;
    this.limits = limits;
    this.web = web;
  }

  /** Probes the sandbox once; until then, and when it fails, tool calls report the reason. */
  public Future<SandboxAvailability> probe() {
    return sandbox.available().onSuccess(a -> availability = a);
  }

  @Override
  public List<Tool> enabled(JsonArray agentTools) {
    List<Tool> out = new ArrayList<>();
    for (EnabledTool t : Toolset.from(agentTools).enabled()) {
      JsonObject d = t.definition();
      out.add(new Tool(new ToolDefinition(d.getString("name"), d.getString("description"), d.getJsonObject("input_schema")),
          t.policy().wire()));
    }
    return out;
  }

  @Override
  public Future<Output> run(String sessionId, JsonArray agentTools, JsonObject environment, String name, JsonObject input,
                            Cancellation cancellation) {
    ToolExecutor executor = executors.computeIfAbsent(sessionId, id -> new ToolExecutor(vertx, sandbox,
        SandboxSpec.forSession(dataDir, id, environment, limits), Toolset.from(agentTools), web));
    return executor.run(name, input, cancellation).map(r -> new Output(r.contentJson(), r.isError()));
  }

  @Override
  public Future<Void> release(String sessionId) {
    ToolExecutor executor = executors.remove(sessionId);
    return executor == null ? Future.succeededFuture() : executor.close();
  }

  @Override
  public String unavailableReason() {
    return availability.available() ? null : availability.reason();
  }
}
