package dev.junction.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.testing.Eventually;
import dev.junction.testing.FakeUpstream.Reply;
import dev.junction.testing.Gateway;
import dev.junction.testing.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Route tables reloaded (by admin call and by file change) while 100 sessions run their turns: none fails. */
class GatewayReloadIT {
  private static final int SESSIONS = 100;
  private static final String CLAUDE_FIRST = RoutedGateway.routes(null, null);
  private static final String GPT_FIRST = CLAUDE_FIRST.replace("name: claude-first", "name: gpt-first")
      .replace("try: [claude, gpt]", "try: [gpt, claude]");
  private static final String BROKEN = CLAUDE_FIRST.replace("try: [claude, gpt]", "try: [claude, gtp]");

  private RoutedGateway gw;

  @AfterEach
  void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
  }

  @Test
  void shouldServe100ConcurrentSessionsWithoutAFailedTurnWhileRoutesReload() throws Exception {
    gw = RoutedGateway.start(CLAUDE_FIRST);
    // slow enough that many turns are in flight at every swap
    gw.claude.otherwise(RoutedGateway.claudeText("Claude answers.").after(150));
    gw.gpt.otherwise(RoutedGateway.gptText("GPT answers.").after(150));
    String agent = gw.http.post("/v1/agents", Gateway.KEY, new JsonObject().put("name", "load")
        .put("model", "claude-sonnet-4-6")).json().getString("id");
    String env = gw.http.post("/v1/environments", Gateway.KEY, new JsonObject().put("name", "e")).json().getString("id");
    List<String> sessions = new ArrayList<>();
    for (int i = 0; i < SESSIONS; i++) {
      sessions.add(gw.session(agent, env));
    }

    ExecutorService senders = Executors.newFixedThreadPool(8);
    int swapped = 0;
    int refused = 0;
    int perRound = SESSIONS / 5;
    try {
      // turns start in rounds; every swap happens while the turns of earlier rounds are in flight
      for (int round = 0; round < 6; round++) {
        List<Future<?>> sent = new ArrayList<>();
        List<String> roundSessions = sessions.subList(Math.min(SESSIONS, round * perRound), Math.min(SESSIONS, (round + 1) * perRound));
        for (String s : roundSessions) {
          sent.add(senders.submit(() -> gw.send(s, "hello")));
        }
        for (Future<?> f : sent) {
          f.get(30, TimeUnit.SECONDS);
        }
        // Swap only once this round's model calls have started (been planned), so each round is
        // planned with its own table while the swap races calls still in flight.
        Eventually.assertTrue("model calls of round " + round + " started", () -> roundSessions.stream().allMatch(this::started), 30_000);
        String next = round == 2 ? BROKEN : round % 2 == 0 ? GPT_FIRST : CLAUDE_FIRST;
        Files.writeString(gw.routes.resolve("test.yaml"), next);
        Http.Reply r = gw.admin("/admin/reload", new JsonObject());
        if (r.status() == 200) {
          assertEquals(true, r.json().getBoolean("swapped"));
          swapped++;
        } else {
          assertEquals(400, r.status(), r.body());
          assertTrue(r.body().contains("unknown target 'gtp'"), r.body());
          refused++;
        }
      }
    } finally {
      senders.shutdownNow();
    }
    assertEquals(5, swapped);
    assertEquals(1, refused);

    Eventually.assertTrue("every session answered its turn", () -> sessions.stream().allMatch(this::idle), 60_000);
    Set<String> routes = new HashSet<>();
    int failed = 0;
    for (String s : sessions) {
      JsonArray events = gw.http.get("/v1/sessions/" + s + "/events", Gateway.KEY).json().getJsonArray("data");
      boolean answered = false;
      for (Object o : events) {
        JsonObject e = (JsonObject) o;
        switch (e.getString("type")) {
          case "session.error" -> failed++;
          case "agent.message" -> answered = true;
          case "span.model_request_end" -> {
            JsonObject routing = e.getJsonObject("routing");
            routes.add(routing.getString("route"));
            assertEquals(1, routing.getJsonArray("attempts").size(), "no call needed a second attempt: " + routing);
          }
          default -> {
            // other events of the turn
          }
        }
      }
      assertTrue(answered, "session " + s + " has no answer: " + events.encode());
    }
    assertEquals(0, failed, "failed turns");
    assertEquals(SESSIONS, gw.claude.requests().size() + gw.gpt.requests().size());
    assertTrue(routes.size() == 2, "turns planned with both tables: " + routes);
  }

  private boolean started(String session) {
    return !gw.http.get("/v1/sessions/" + session + "/events?types[]=span.model_request_start", Gateway.KEY).json()
        .getJsonArray("data").isEmpty();
  }

  private boolean idle(String session) {
    JsonObject s = gw.http.get("/v1/sessions/" + session, Gateway.KEY).json();
    return "idle".equals(s.getString("status")) && s.getJsonObject("usage", new JsonObject()).getLong("output_tokens", 0L) > 0;
  }
}
