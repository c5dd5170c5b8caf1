package dev.junction.tools;

import dev.junction.provider.Cancellation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.EnumMap;
import java.util.Map;

/**
 * Runs one session's built-in tool calls. The jail is opened on the first call that needs it, so a
 * session that only uses web_fetch (or no tools) works on a machine without bubblewrap.
 *
 * <p>Failures the model should see (bad input, missing file, refused path, non-zero exit, timeout)
 * come back as {@link ToolResult#isError()} results. The returned future fails only when the tool
 * cannot run at all: a {@link SandboxUnavailableException} (the harness turns it into a
 * {@code session.error}) or a closed executor.
 */
public final class ToolExecutor {
  private final Sandbox sandbox;
  private final SandboxSpec spec;
  private final Toolset toolset;
  private final WebFetcher webFetcher;
  private final Map<BuiltinTool, JailedTool> jailed = new EnumMap<>(BuiltinTool.class);
  private Future<SandboxSession> session;
  private boolean closed;

  /**
   * @param vertx      for work too heavy for an event loop (matching, editing large files)
   * @param sandbox    where jails come from
   * @param spec       this session's jail
   * @param toolset    the agent's enabled tools; calls to others are refused
   * @param webFetcher shared web_fetch client
   */
  public ToolExecutor(Vertx vertx, Sandbox sandbox, SandboxSpec spec, Toolset toolset, WebFetcher webFetcher) {
    this.sandbox = sandbox;
    this.spec = spec;
    this.toolset = toolset;
    this.webFetcher = webFetcher;
    jailed.put(BuiltinTool.BASH, new BashTool());
    jailed.put(BuiltinTool.READ, new ReadTool());
    jailed.put(BuiltinTool.WRITE, new WriteTool());
    jailed.put(BuiltinTool.EDIT, new EditTool(vertx));
    jailed.put(BuiltinTool.GLOB, new GlobTool(vertx));
    jailed.put(BuiltinTool.GREP, new GrepTool());
  }

  /**
   * @param name         the tool name from {@code agent.tool_use}
   * @param input        its input
   * @param cancellation flipped on {@code user.interrupt}; kills the running process and returns promptly
   * @return the result for {@code agent.tool_result}
   */
  public Future<ToolResult> run(String name, JsonObject input, Cancellation cancellation) {
    EnabledTool tool = toolset.find(name).orElse(null);
    if (tool == null) {
      return Future.succeededFuture(ToolResult.error(toolset.unsupported().contains(name)
          ? "tool " + name + " is not available on this gateway"
          : "tool " + name + " is not enabled for this agent"));
    }
    JsonObject in = input == null ? new JsonObject() : input;
    if (tool.tool() == BuiltinTool.WEB_FETCH) {
      return guard(() -> webFetcher.fetch(in, spec.network(), tool.config(), cancellation));
    }
    JailedTool impl = jailed.get(tool.tool());
    return session().compose(s -> guard(() -> impl.run(s, in, cancellation)));
  }

  /** Input the tool rejects, or of the wrong JSON type, becomes an error result for the model. */
  private static Future<ToolResult> guard(java.util.function.Supplier<Future<ToolResult>> call) {
    try {
      return call.get().recover(err -> err instanceof ToolInputException
          ? Future.succeededFuture(ToolResult.error(err.getMessage()))
          : Future.failedFuture(err));
    } catch (ToolInputException e) {
      return Future.succeededFuture(ToolResult.error(e.getMessage()));
    } catch (ClassCastException e) {
      return Future.succeededFuture(ToolResult.error("invalid input: a field has the wrong type"));
    }
  }

  private synchronized Future<SandboxSession> session() {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("tools of session " + spec.sessionId() + " are closed"));
    }
    if (session == null || session.failed()) {
      session = sandbox.open(spec);
    }
    return session;
  }

  /** @return completes when every process of the session's jail is gone */
  public synchronized Future<Void> close() {
    closed = true;
    Future<SandboxSession> s = session;
    session = null;
    return s == null ? Future.succeededFuture() : s.transform(ar -> ar.succeeded() ? ar.result().close() : Future.succeededFuture());
  }
}
