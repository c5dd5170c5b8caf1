package dev.junction.app;

import dev.junction.testing.Gateway;
import dev.junction.testing.GatewayProcess;
import dev.junction.testing.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Starts the packaged jar as its own process, sends events from several clients, kills it with SIGKILL
 * while requests are in flight, restarts it on the same data directory, and finds every acknowledged
 * event, in the order each client was acknowledged.
 */
class DurabilityIT {
  private Path dataDir;
  private GatewayProcess process;

  @BeforeEach
  void dir() throws IOException {
    dataDir = Files.createTempDirectory("junction-durability");
  }

  @AfterEach
  void stop() {
    if (process != null) {
      try {
        process.kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private int startJar() throws Exception {
    process = GatewayProcess.start("config/junction.yaml", Map.of("JUNCTION_PORT", "0",
        "JUNCTION_DATA_DIR", dataDir.toString(), "JUNCTION_API_KEYS", Gateway.KEY + ":tenant-a"));
    return process.port();
  }

  @Test
  void everyAcknowledgedEventSurvivesSigkill() throws Exception {
    Http http = new Http("http://127.0.0.1:" + startJar());
    String agent = http.post("/v1/agents", Gateway.KEY, new JsonObject().put("name", "d").put("model", "m")).json().getString("id");
    String env = http.post("/v1/environments", Gateway.KEY, new JsonObject().put("name", "d")).json().getString("id");
    String session = http.post("/v1/sessions", Gateway.KEY, new JsonObject().put("agent", agent).put("environment_id", env))
        .json().getString("id");

    int clients = 4;
    List<List<String>> acked = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<CompletableFuture<Void>> running = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      List<String> mine = Collections.synchronizedList(new ArrayList<>());
      acked.add(mine);
      int client = c;
      running.add(CompletableFuture.runAsync(() -> {
        for (int i = 0; !stop.get(); i++) {
          JsonObject event = new JsonObject().put("type", "user.message").put("content", new JsonArray()
              .add(new JsonObject().put("type", "text").put("text", "client " + client + " message " + i)));
          Http.Reply r;
          try {
            r = http.post("/v1/sessions/" + session + "/events", Gateway.KEY, new JsonObject().put("events", new JsonArray().add(event)));
          } catch (RuntimeException e) {
            return; // the process died under this request: not acknowledged
          }
          if (r.status() != 200) {
            return;
          }
          mine.add(r.json().getJsonArray("data").getJsonObject(0).getString("id"));
        }
      }, pool));
    }
    // Kill once a good number of events are acknowledged, with requests still in flight.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (acked.stream().mapToInt(List::size).sum() < 400 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    process.kill();
    stop.set(true);
    CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    pool.shutdown();
    int total = acked.stream().mapToInt(List::size).sum();
    assertTrue(total >= 400, "only " + total + " events were acknowledged before the kill");

    Http again = new Http("http://127.0.0.1:" + startJar());
    List<String> logged = new ArrayList<>();
    String page = null;
    do {
      JsonObject body = again.get("/v1/sessions/" + session + "/events?limit=500&types[]=user.message"
          + (page == null ? "" : "&page=" + page), Gateway.KEY).json();
      body.getJsonArray("data").forEach(o -> logged.add(((JsonObject) o).getString("id")));
      page = body.getString("next_page");
    } while (page != null);

    for (List<String> mine : acked) {
      int last = -1;
      for (String id : mine) {
        int at = logged.indexOf(id);
        assertTrue(at >= 0, "acknowledged event " + id + " is missing after restart");
        assertTrue(at > last, "event " + id + " is out of its client's acknowledged order");
        last = at;
      }
    }
    // Nothing unacknowledged beyond the few requests in flight at the moment of the kill.
    assertTrue(logged.size() - total <= clients, "log has " + logged.size() + " events, " + total + " acknowledged");
    assertEquals(logged.size(), logged.stream().distinct().count(), "no event is stored twice");
  }
}
