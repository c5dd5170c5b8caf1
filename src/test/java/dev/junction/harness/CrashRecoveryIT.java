package dev.junction.harness;

import dev.junction.testing.Eventually;
import dev.junction.testing.FakeUpstream;
import dev.junction.testing.Gateway;
import dev.junction.testing.GatewayProcess;
import dev.junction.testing.Http;
import dev.junction.testing.Sessions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills the packaged gateway with SIGKILL in the middle of a turn (after a bash tool ran and its result
 * was logged, while the next model call is in flight), restarts it on the same data directory, and
 * checks that the session finishes on its own with the tool run exactly once and no event lost.
 */
class CrashRecoveryIT {
  private Vertx vertx;
  private FakeUpstream upstream;
  private Path dir;
  private GatewayProcess process;

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(new java.io.File("/usr/bin/bwrap").canExecute(), "bubblewrap (bwrap) is not installed");
    vertx = Vertx.vertx();
    upstream = Upstream.start(vertx);
    dir = Files.createTempDirectory("junction-crash");
    Files.writeString(dir.resolve("junction.yaml"), String.join("\n",
        "server: { host: 127.0.0.1, port: 0 }",
        "store: { data_dir: " + dir.resolve("data") + " }",
        "routes: " + Path.of("routes").toAbsolutePath(),
        "providers:",
        "  anthropic: { kind: anthropic, base_url: \"" + upstream.baseUrl() + "\", api_key: env:TEST_ANTHROPIC_KEY }",
        ""));
  }

  @AfterEach
  void stop() throws Exception {
    if (process != null) {
      process.kill();
    }
    if (vertx != null) {
      upstream.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private Http startJar() throws Exception {
    process = GatewayProcess.start(dir.resolve("junction.yaml").toString(),
        Map.of("JUNCTION_API_KEYS", Gateway.KEY + ":tenant-a", "TEST_ANTHROPIC_KEY", "sk-test"));
    return process.http();
  }



  @Test
  void aSessionKilledMidTurnFinishesAfterRestartWithoutRepeatingItsTool() throws Exception {
    upstream.enqueue(Upstream.toolUse("t1", "bash", new JsonObject().put("command", "echo run >> /workspace/runs.log; wc -l < /workspace/runs.log")))
        .enqueue(FakeUpstream.Reply.hangs())
        .enqueue(Upstream.text("All done after the restart."));
    Http http = startJar();
    String agent = http.post("/v1/agents", Gateway.KEY, new JsonObject().put("name", "crash").put("model", "claude-sonnet-4-6")
        .put("tools", new JsonArray().add(new JsonObject().put("type", "agent_toolset_20260401")))).json().getString("id");
    String env = http.post("/v1/environments", Gateway.KEY, new JsonObject().put("name", "e")).json().getString("id");
    String session = http.post("/v1/sessions", Gateway.KEY, new JsonObject().put("agent", agent).put("environment_id", env))
        .json().getString("id");
    http.post("/v1/sessions/" + session + "/events", Gateway.KEY, new JsonObject().put("events", new JsonArray()
        .add(new JsonObject().put("type", "user.message").put("content", new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "log a run"))))));

    // Wait until the tool's result is logged and the second model call is hanging, then kill.
    Eventually.assertTrue("second model call in flight", () -> upstream.requests().size() == 2
        && Sessions.count(Sessions.events(http, session), "span.model_request_start") == 2, 30_000);
    List<JsonObject> before = Sessions.events(http, session);
    assertEquals(1, Sessions.count(before, "agent.tool_result"));
    process.kill();

    Http again = startJar();
    Eventually.assertTrue("the session finished after the restart",
        () -> "idle".equals(again.get("/v1/sessions/" + session, Gateway.KEY).json().getString("status")), 30_000);
    List<JsonObject> after = Sessions.events(again, session);
    assertEquals(before, after.subList(0, before.size()), "every event logged before the kill is still there, in order");
    assertEquals(1, Sessions.count(after, "agent.tool_result"), "the logged tool call did not run again");
    assertEquals("All done after the restart.", Sessions.lastAgentText(after));
    JsonObject idle = after.get(after.size() - 1);
    assertEquals("session.status_idle", idle.getString("type"));
    assertEquals("end_turn", idle.getJsonObject("stop_reason").getString("type"));
    assertEquals(after.size(), after.stream().map(e -> e.getString("id")).distinct().count(), "no event twice");
    Path runs = dir.resolve("data").resolve("sessions").resolve(session).resolve("work").resolve("runs.log");
    assertEquals(List.of("run"), Files.readAllLines(runs), "bash ran exactly once");
    List<String> requests = new ArrayList<>();
    upstream.requests().forEach(r -> requests.add(r.path()));
    assertEquals(3, requests.size(), "one model call was repeated: the one the kill interrupted");
  }
}
