package dev.junction.harness;

import dev.junction.testing.Eventually;
import dev.junction.testing.FakeUpstream;
import dev.junction.testing.Gateway;
import dev.junction.testing.Http;
import dev.junction.testing.Sessions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Client input sent through the node that does not run the session. Two gateways share one
 * PostgreSQL; node A runs the session's turn (it received the first message); an interrupt and then
 * a new message arrive through node B. The interrupt must stop A's in-flight model call, and the next
 * message must be answered, with one runner at a time and every event once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossNodeInputIT {
  private Vertx vertx;
  private FakeUpstream upstream;
  private EmbeddedPostgres postgres;
  private Gateway a;
  private Gateway b;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = Upstream.start(vertx);
    postgres = EmbeddedPostgres.builder().start();
    String url = dev.junction.testing.TestPostgres.freshDatabaseUrl(postgres);
    Map<String, String> env = new HashMap<>(Upstream.env());
    env.put("JUNCTION_DATABASE_URL", url);
    Map<String, String> envA = new HashMap<>(env);
    envA.put("JUNCTION_NODE_ID", "node-a");
    Map<String, String> envB = new HashMap<>(env);
    envB.put("JUNCTION_NODE_ID", "node-b");
    a = Gateway.start(Upstream.gatewayConfig(upstream), envA, null);
    b = Gateway.start(Upstream.gatewayConfig(upstream), envB, null);
  }

  @AfterAll
  void stop() throws Exception {
    a.close();
    b.close();
    upstream.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    postgres.close();
  }



  @Test
  void anInterruptAndAMessageSentThroughTheOtherNodeReachTheRunningSession() {
    upstream.enqueue(FakeUpstream.Reply.hangs()).enqueue(Upstream.text("Second answer."));
    Http httpA = new Http(a.baseUrl());
    Http httpB = new Http(b.baseUrl());
    String agent = httpA.post("/v1/agents", Gateway.KEY, new JsonObject().put("name", "x").put("model", "claude-sonnet-4-6"))
        .json().getString("id");
    String env = httpA.post("/v1/environments", Gateway.KEY, new JsonObject().put("name", "e")).json().getString("id");
    String session = httpA.post("/v1/sessions", Gateway.KEY, new JsonObject().put("agent", agent).put("environment_id", env))
        .json().getString("id");
    httpA.post("/v1/sessions/" + session + "/events", Gateway.KEY, Sessions.userMessage("first"));
    Eventually.assertTrue("node A's model call in flight", () -> upstream.requests().size() == 1, 30_000);

    httpB.post("/v1/sessions/" + session + "/events", Gateway.KEY, new JsonObject().put("events", new JsonArray()
        .add(new JsonObject().put("type", "user.interrupt"))));
    Eventually.assertTrue("the interrupt sent to node B idled the session running on node A",
        () -> "idle".equals(httpB.get("/v1/sessions/" + session, Gateway.KEY).json().getString("status")), 30_000);

    httpB.post("/v1/sessions/" + session + "/events", Gateway.KEY, Sessions.userMessage("second"));
    Eventually.assertTrue("the message sent to node B was answered", () -> Sessions.events(httpA, session).stream()
        .anyMatch(e -> e.getString("type").equals("agent.message")), 30_000);
    Eventually.assertTrue("idle again", () -> {
      List<JsonObject> ev = Sessions.events(httpA, session);
      return ev.get(ev.size() - 1).getString("type").equals("session.status_idle");
    }, 30_000);

    List<JsonObject> log = Sessions.events(httpB, session);
    assertEquals(log.size(), log.stream().map(e -> e.getString("id")).distinct().count(), "no event twice");
    List<String> idles = log.stream().filter(e -> e.getString("type").equals("session.status_idle"))
        .map(e -> e.getJsonObject("stop_reason").getString("type")).toList();
    assertEquals(List.of("end_turn", "end_turn"), idles, "the interrupt's idle, then the answered turn's");
    assertEquals(1, log.stream().filter(e -> e.getString("type").equals("agent.message")).count());
    assertEquals(2, upstream.requests().size(), "one call interrupted, one answered");
  }
}
