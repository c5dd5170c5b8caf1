package dev.junction.harness;

import dev.junction.provider.Cancellation;
import dev.junction.provider.ToolDefinition;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** The built-in toolset as the harness sees it: what an agent enables, and running one call in a sandbox. */
public interface BuiltInTools {

  /**
   * A built-in tool an agent enabled.
   *
   * @param definition what the model is told
   * @param policy     {@code always_allow}, {@code always_ask} or {@code auto}
   */
  record Tool(ToolDefinition definition, String policy) {
  }

  /**
   * What a tool call returned.
   *
   * @param content MA content blocks
   * @param isError whether the call failed
   */
  record Output(JsonArray content, boolean isError) {
  }

  /** The enabled built-in tools of an agent's {@code tools} array. */
  List<Tool> enabled(JsonArray agentTools);

  /**
   * Runs one call in the session's sandbox, opening the sandbox on first use.
   *
   * @param agentTools  the session's agent {@code tools} (per-tool settings such as allowed domains)
   * @param environment the session's environment config (networking decides network access)
   * @return the output; a failed future only when the sandbox itself cannot run
   */
  Future<Output> run(String sessionId, JsonArray agentTools, JsonObject environment, String name, JsonObject input,
                     Cancellation cancellation);

  /** Releases the session's sandbox processes (its files stay). */
  Future<Void> release(String sessionId);

  /** Why built-in tools cannot run on this machine, or null when they can. */
  String unavailableReason();
}
