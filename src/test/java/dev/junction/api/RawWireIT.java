package dev.junction.api;

import dev.junction.testing.Eventually;
import dev.junction.testing.Gateway;
import dev.junction.testing.Http;
import dev.junction.testing.SseReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What SDKs are picky about, checked on the wire: headers, SSE framing, auth forms, tolerated extras. */
class RawWireIT {
  private static Gateway gw;
  private static Http http;

  @BeforeAll
  static void start() {
    gw = Gateway.start();
    http = new Http(gw.baseUrl());
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  static String agent(String key) {
    Http.Reply r = http.post("/v1/agents", key, new JsonObject().put("name", "wire").put("model", "claude-sonnet-4-6"));
    assertEquals(200, r.status(), r.body());
    return r.json().getString("id");
  }

  static String environment(String key) {
    Http.Reply r = http.post("/v1/environments", key, new JsonObject().put("name", "env"));
    assertEquals(200, r.status(), r.body());
    return r.json().getString("id");
  }

  static String session(String key) {
    Http.Reply r = http.post("/v1/sessions", key, new JsonObject().put("agent", agent(key)).put("environment_id", environment(key)));
    assertEquals(200, r.status(), r.body());
    return r.json().getString("id");
  }

  static JsonObject message(String text) {
    return new JsonObject().put("type", "user.message")
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", text)));
  }

  static Http.Reply send(String key, String session, JsonObject... events) {
    return http.post("/v1/sessions/" + session + "/events", key, new JsonObject().put("events", new JsonArray(List.of((Object[]) events))));
  }

  static SseReader stream(String session, String query, String accept) throws Exception {
    HttpRequest req = http.request("/v1/sessions/" + session + "/events/stream" + query)
        .header("x-api-key", Gateway.KEY).header("accept", accept).GET().build();
    HttpResponse<InputStream> resp = http.client().send(req, HttpResponse.BodyHandlers.ofInputStream());
    // send() returns once headers arrive: the gateway must send them before any event exists.
    assertEquals(200, resp.statusCode());
    assertTrue(resp.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    assertNotNull(resp.headers().firstValue("request-id").orElse(null));
    return new SseReader(resp.body());
  }

  @Test
  void streamFramesCarryEventLinesEqualToTypeAndTheIdsThatListReturns() throws Exception {
    String s = session(Gateway.KEY);
    // TS and Python SDKs send Accept: application/json to the stream endpoint; it must not be negotiated.
    try (SseReader sse = stream(s, "", "application/json")) {
      Http.Reply sent = send(Gateway.KEY, s, message("one"), message("two"));
      assertEquals(200, sent.status(), sent.body());
      List<SseReader.Frame> frames = sse.takeOfType(2, 5000, "user.message");
      JsonArray listed = http.get("/v1/sessions/" + s + "/events?types[]=user.message", Gateway.KEY).json().getJsonArray("data");
      for (int i = 0; i < 2; i++) {
        SseReader.Frame f = frames.get(i);
        assertEquals(f.json().getString("type"), f.event());
        assertEquals(listed.getJsonObject(i).getString("id"), f.json().getString("id"));
        assertEquals(sent.json().getJsonArray("data").getJsonObject(i).getString("id"), f.id());
        assertEquals(listed.getJsonObject(i), f.json());
      }
      assertEquals("two", frames.get(1).json().getJsonArray("content").getJsonObject(0).getString("text"));
    }
  }

  @Test
  void keepAlivePingsArriveOnAnIdleStream() throws Exception {
    try (Gateway fast = Gateway.start(java.util.Map.of("stream", java.util.Map.of("ping_interval_ms", 20),
        "server", java.util.Map.of("port", 0, "host", "127.0.0.1")))) {
      Http h = new Http(fast.baseUrl());
      JsonObject a = h.post("/v1/agents", Gateway.KEY, new JsonObject().put("name", "p").put("model", "m")).json();
      JsonObject e = h.post("/v1/environments", Gateway.KEY, new JsonObject().put("name", "p")).json();
      String s = h.post("/v1/sessions", Gateway.KEY, new JsonObject().put("agent", a.getString("id"))
          .put("environment_id", e.getString("id"))).json().getString("id");
      HttpResponse<InputStream> resp = h.client().send(h.request("/v1/sessions/" + s + "/events/stream")
          .header("authorization", "Bearer " + Gateway.KEY).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      try (SseReader sse = new SseReader(resp.body())) {
        SseReader.Frame ping = sse.nextIncludingPings(5000);
        assertEquals("ping", ping.event());
        assertEquals("ping", ping.json().getString("type"));
      }
    }
  }

  @Test
  void everySubscriberGetsEveryEventInOrder() throws Exception {
    String s = session(Gateway.KEY);
    try (SseReader a = stream(s, "", "text/event-stream"); SseReader b = stream(s, "", "application/json");
         SseReader c = stream(s, "?beta=true", "*/*")) {
      for (int i = 0; i < 10; i++) {
        assertEquals(200, send(Gateway.KEY, s, message("m" + i + "a"), message("m" + i + "b")).status());
      }
      JsonArray listed = http.get("/v1/sessions/" + s + "/events?limit=1000&types[]=user.message", Gateway.KEY).json()
          .getJsonArray("data");
      assertEquals(20, listed.size());
      for (SseReader r : List.of(a, b, c)) {
        List<SseReader.Frame> got = r.takeOfType(20, 5000, "user.message");
        for (int i = 0; i < 20; i++) {
          assertEquals(listed.getJsonObject(i).getString("id"), got.get(i).json().getString("id"), "frame " + i);
        }
      }
    }
  }

  @Test
  void closedClientsFreeTheirSubscriptions() throws Exception {
    String s = session(Gateway.KEY);
    int before = gw.junction().openStreams();
    SseReader r = stream(s, "", "text/event-stream");
    Eventually.assertTrue("subscribed", () -> gw.junction().openStreams() == before + 1, 5000);
    r.close();
    Eventually.assertTrue("unsubscribed after close", () -> gw.junction().openStreams() == before, 5000);
  }

  @Test
  void deletingASessionEndsItsStreamsWithSessionDeleted() throws Exception {
    String s = session(Gateway.KEY);
    try (SseReader sse = stream(s, "", "text/event-stream")) {
      Http.Reply del = http.delete("/v1/sessions/" + s, Gateway.KEY);
      assertEquals(200, del.status());
      assertEquals(new JsonObject().put("id", s).put("type", "session_deleted"), del.json());
      SseReader.Frame f = sse.next(5000);
      assertEquals("session.deleted", f.event());
      assertTrue(f.json().getString("id").startsWith("sevt_"));
      assertNull(sse.next(5000), "stream must end after session.deleted");
    }
    assertEquals(404, http.get("/v1/sessions/" + s, Gateway.KEY).status());
    assertEquals(404, http.get("/v1/sessions/" + s + "/events", Gateway.KEY).status());
  }

  @Test
  void lastEventIdResumesAfterThatEvent() throws Exception {
    String s = session(Gateway.KEY);
    JsonArray sent = send(Gateway.KEY, s, message("a"), message("b"), message("c")).json().getJsonArray("data");
    HttpResponse<InputStream> resp = http.client().send(http.request("/v1/sessions/" + s + "/events/stream")
        .header("x-api-key", Gateway.KEY).header("last-event-id", sent.getJsonObject(0).getString("id")).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (SseReader sse = new SseReader(resp.body())) {
      List<SseReader.Frame> got = sse.takeOfType(2, 5000, "user.message");
      assertEquals(sent.getJsonObject(1).getString("id"), got.get(0).json().getString("id"));
      assertEquals(sent.getJsonObject(2).getString("id"), got.get(1).json().getString("id"));
      String live = send(Gateway.KEY, s, message("d")).json().getJsonArray("data").getJsonObject(0).getString("id");
      assertEquals(live, sse.takeOfType(1, 5000, "user.message").get(0).json().getString("id"));
    }
  }

  @Test
  void bothAuthHeadersBothVersionsAndAnyBetaHeaderAreAccepted() {
    String a = agent(Gateway.KEY);
    for (String version : List.of("2023-06-01", "2026-10-21")) {
      Http.Reply byKey = http.send(http.request("/v1/agents/" + a + "?beta=true").header("x-api-key", Gateway.KEY)
          .header("anthropic-version", version).header("anthropic-beta", "foo-2025-01-01,managed-agents-2026-04-01").GET().build());
      assertEquals(200, byKey.status(), byKey.body());
      Http.Reply byBearer = http.send(http.request("/v1/agents/" + a).header("authorization", "Bearer " + Gateway.KEY)
          .header("anthropic-version", version).header("anthropic-beta", "managed-agents-2026-04-01")
          .header("anthropic-beta", "another-2026-01-01").GET().build());
      assertEquals(200, byBearer.status(), byBearer.body());
      assertEquals(a, byBearer.json().getString("id"));
    }
    Http.Reply none = http.send(http.request("/v1/agents/" + a).GET().build());
    assertError(none, 401, "authentication_error", "x-api-key");
    Http.Reply wrong = http.get("/v1/agents/" + a, "not-a-key");
    assertError(wrong, 401, "authentication_error", "invalid");
  }

  @Test
  void bodylessPostsWork() {
    String a = agent(Gateway.KEY);
    Http.Reply r = http.send(http.request("/v1/agents/" + a + "/archive").header("x-api-key", Gateway.KEY)
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    assertEquals(200, r.status(), r.body());
    assertNotNull(r.json().getString("archived_at"));
    String s = session(Gateway.KEY);
    Http.Reply sr = http.send(http.request("/v1/sessions/" + s + "/archive?beta=true").header("x-api-key", Gateway.KEY)
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    assertEquals(200, sr.status(), sr.body());
    assertEquals(s, sr.json().getString("id"));
  }

  @Test
  void anotherTenantsIdsAreNotFound() throws Exception {
    String s = session(Gateway.KEY);
    JsonObject sess = http.get("/v1/sessions/" + s, Gateway.KEY).json();
    String a = sess.getJsonObject("agent").getString("id");
    String e = sess.getString("environment_id");
    for (String path : List.of("/v1/agents/" + a, "/v1/agents/" + a + "/versions", "/v1/environments/" + e,
        "/v1/sessions/" + s, "/v1/sessions/" + s + "/events", "/v1/sessions/" + s + "/events/stream")) {
      assertError(http.get(path, Gateway.OTHER_KEY), 404, "not_found_error", "not found");
    }
    assertError(send(Gateway.OTHER_KEY, s, message("x")), 404, "not_found_error", s);
    assertError(http.post("/v1/agents/" + a, Gateway.OTHER_KEY, new JsonObject().put("name", "stolen")), 404, "not_found_error", a);
    assertError(http.delete("/v1/sessions/" + s, Gateway.OTHER_KEY), 404, "not_found_error", s);
    assertError(http.post("/v1/sessions", Gateway.OTHER_KEY, new JsonObject().put("agent", a).put("environment_id", e)),
        404, "not_found_error", a);
    assertFalse(http.get("/v1/agents?limit=1000", Gateway.OTHER_KEY).body().contains(a));
    assertEquals(200, http.get("/v1/sessions/" + s, Gateway.KEY).status(), "the owner still sees it");
  }

  @Test
  void badInputGetsTheEnvelopeAndWritesNothing() {
    String s = session(Gateway.KEY);
    String events = "/v1/sessions/" + s + "/events";
    assertEquals(200, send(Gateway.KEY, s, message("first")).status());

    assertError(http.post(events, Gateway.KEY, "{\"events\": [ {\"type\": "), 400, "invalid_request_error", "not valid JSON");
    assertError(http.post(events, Gateway.KEY, "[1,2]"), 400, "invalid_request_error", "must be a JSON object");
    assertError(send(Gateway.KEY, s, message("ok"), new JsonObject().put("type", "user.telepathy")), 400,
        "invalid_request_error", "events[1].type: unknown event type 'user.telepathy'");
    assertError(send(Gateway.KEY, s, new JsonObject().put("type", "agent.message").put("content", new JsonArray())), 400,
        "invalid_request_error", "'agent.message' cannot be sent");
    assertError(send(Gateway.KEY, s, new JsonObject().put("type", "user.message")
            .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", 42)))), 400,
        "invalid_request_error", "events[0].content[0].text: expected a string, got a number");
    assertError(http.post(events, Gateway.KEY, new JsonObject().put("events", "nope")), 400, "invalid_request_error",
        "events: expected an array, got a string");
    assertError(http.post(events, Gateway.KEY, new JsonObject()), 400, "invalid_request_error", "events: required");
    assertError(send(Gateway.KEY, s, new JsonObject().put("type", "user.tool_confirmation").put("tool_use_id", "sevt_x")
        .put("result", "allow").put("deny_message", "no")), 400, "invalid_request_error", "deny_message");
    // system.message: last, at most one, right after a user.message / tool result.
    JsonObject sys = new JsonObject().put("type", "system.message")
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "tz")));
    assertError(send(Gateway.KEY, s, sys.copy(), message("x")), 400, "invalid_request_error", "must be the last event");
    assertError(send(Gateway.KEY, s, sys.copy()), 400, "invalid_request_error", "must immediately follow");
    assertError(send(Gateway.KEY, s, new JsonObject().put("type", "user.interrupt"), sys.copy()), 400,
        "invalid_request_error", "must immediately follow");
    assertEquals(200, send(Gateway.KEY, s, message("x"), sys.copy()).status());
    assertError(send(Gateway.KEY, s, new JsonObject().put("type", "user.tool_result").put("tool_use_id", "sevt_1")), 400,
        "invalid_request_error", "self_hosted");

    // Nothing of the rejected requests was written: only the three accepted events are in the log.
    JsonArray log = http.get(events + "?types[]=user.message&types[]=system.message", Gateway.KEY).json().getJsonArray("data");
    assertEquals(List.of("user.message", "user.message", "system.message"),
        log.stream().map(o -> ((JsonObject) o).getString("type")).toList());

    assertError(http.get("/v1/sessions/sesn_doesnotexist", Gateway.KEY), 404, "not_found_error", "sesn_doesnotexist");
    assertError(http.get("/v1/nothing-here", Gateway.KEY), 404, "not_found_error", "/v1/nothing-here");
    Http.Reply put = http.send(http.request(events).header("x-api-key", Gateway.KEY)
        .PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
    assertError(put, 405, "invalid_request_error", "PUT");
    assertError(http.get("/v1/sessions/" + s + "/events?types[]=user.nonsense", Gateway.KEY), 400, "invalid_request_error",
        "user.nonsense");
    assertError(http.get("/v1/sessions?limit=0", Gateway.KEY), 400, "invalid_request_error", "limit");
    assertError(http.get("/v1/sessions?page=garbage", Gateway.KEY), 400, "invalid_request_error", "page");
    assertError(http.get("/v1/sessions/" + s + "/events/stream?event_deltas[]=agent.tool_use", Gateway.KEY), 400,
        "invalid_request_error", "event_deltas");
    assertError(http.post("/v1/agents", Gateway.KEY, new JsonObject().put("name", "x").put("model", "m")
        .put("tools", new JsonArray().add(new JsonObject().put("type", "custom").put("name", "bad name!")
            .put("description", "d").put("input_schema", new JsonObject().put("type", "object"))))), 400,
        "invalid_request_error", "tools[0].name");
    assertError(http.post("/v1/agents", Gateway.KEY, new JsonObject().put("model", "m")), 400, "invalid_request_error",
        "name: required");
    assertError(http.post("/v1/agents", Gateway.KEY, new JsonObject().put("name", "x").put("model", "m").put("colour", "red")),
        400, "invalid_request_error", "colour: unknown field");
  }

  @Test
  void oversizedBodiesAre413() {
    String s = session(Gateway.KEY);
    String big = "x".repeat(17 * 1024 * 1024);
    Http.Reply r = http.post("/v1/sessions/" + s + "/events", Gateway.KEY,
        "{\"events\":[{\"type\":\"user.message\",\"content\":[{\"type\":\"text\",\"text\":\"" + big + "\"}]}]}");
    assertError(r, 413, "request_too_large", "larger");
    assertEquals(0, http.get("/v1/sessions/" + s + "/events", Gateway.KEY).json().getJsonArray("data").size());
  }

  @Test
  void archivedSessionsRefuseEventsWithoutRetry() {
    String s = session(Gateway.KEY);
    assertEquals(200, http.post("/v1/sessions/" + s + "/archive", Gateway.KEY, "").status());
    Http.Reply r = send(Gateway.KEY, s, message("late"));
    assertError(r, 409, "invalid_request_error", "archived");
    assertEquals("false", r.header("x-should-retry"));
    assertEquals(0, http.get("/v1/sessions/" + s + "/events", Gateway.KEY).json().getJsonArray("data").size());
  }

  @Test
  void environmentConfigTypeCannotChange() {
    String e = environment(Gateway.KEY);
    Http.Reply r = http.post("/v1/environments/" + e, Gateway.KEY,
        new JsonObject().put("config", new JsonObject().put("type", "self_hosted")));
    assertError(r, 400, "invalid_request_error", "cannot change");
    assertEquals("invalid_config_type_change", r.json().getJsonObject("error").getJsonObject("details").getString("error_code"));
    assertEquals("cloud", http.get("/v1/environments/" + e, Gateway.KEY).json().getJsonObject("config").getString("type"));
  }

  @Test
  void aReaderThatStopsReadingIsCutOffWithoutStallingOthers() throws Exception {
    try (Gateway small = Gateway.start(java.util.Map.of("stream", java.util.Map.of("max_buffered_events", 16),
        "server", java.util.Map.of("port", 0, "host", "127.0.0.1")))) {
      Http h = new Http(small.baseUrl());
      int n = 200;
      JsonObject a = h.post("/v1/agents", Gateway.KEY, new JsonObject().put("name", "p").put("model", "m")).json();
      JsonObject e = h.post("/v1/environments", Gateway.KEY, new JsonObject().put("name", "p")).json();
      String s = h.post("/v1/sessions", Gateway.KEY, new JsonObject().put("agent", a.getString("id"))
          .put("environment_id", e.getString("id"))).json().getString("id");
      // A raw socket with a tiny receive buffer that never reads: the gateway's socket fills, then its queue.
      try (java.net.Socket stalled = new java.net.Socket()) {
        stalled.setReceiveBufferSize(4096);
        stalled.connect(new java.net.InetSocketAddress("127.0.0.1", small.port()));
        stalled.getOutputStream().write(("GET /v1/sessions/" + s + "/events/stream HTTP/1.1\r\nHost: x\r\nx-api-key: "
            + Gateway.KEY + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Eventually.assertTrue("stalled reader subscribed", () -> small.junction().openStreams() == 1, 5000);
        HttpResponse<InputStream> resp = h.client().send(h.request("/v1/sessions/" + s + "/events/stream")
            .header("x-api-key", Gateway.KEY).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (SseReader reader = new SseReader(resp.body())) {
          Eventually.assertTrue("both subscribed", () -> small.junction().openStreams() == 2, 5000);
          String text = "y".repeat(64 * 1024);
          for (int i = 0; i < n; i++) {
            assertEquals(200, send(h, s, message(text + i)).status());
          }
          // The reading client got everything, in order, although the other one never read a byte.
          List<SseReader.Frame> got = reader.takeOfType(n, 10_000, "user.message");
          assertTrue(got.get(n - 1).json().getJsonArray("content").getJsonObject(0).getString("text").endsWith("" + (n - 1)));
          Eventually.assertTrue("stalled reader dropped", () -> small.junction().openStreams() == 1, 10_000);
          String metrics = h.get("/metrics", Gateway.KEY).body();
          assertTrue(metrics.contains("junction_event_streams_cut_total 1.0"), metrics);
          assertTrue(metrics.contains("junction_event_streams_open 1.0"), metrics);
        }
        // What the stalled socket holds ends before the 200th event: it was cut off, not buffered without bound.
        stalled.setSoTimeout(10_000);
        byte[] all = stalled.getInputStream().readAllBytes();
        String wire = new String(all, java.nio.charset.StandardCharsets.UTF_8);
        long frames = wire.lines().filter(l -> l.startsWith("event: user.message")).count();
        assertTrue(frames < n, "stalled reader received " + frames + " frames");
      } catch (java.net.SocketException reset) {
        // A reset while reading the remainder is the cut-off itself.
      }
    }
  }

  static Http.Reply send(Http h, String session, JsonObject... events) {
    return h.post("/v1/sessions/" + session + "/events", Gateway.KEY, new JsonObject().put("events", new JsonArray(List.of((Object[]) events))));
  }

  static void assertError(Http.Reply r, int status, String type, String messagePart) {
    assertEquals(status, r.status(), r.body());
    JsonObject body = r.json();
    assertEquals("error", body.getString("type"));
    assertEquals(type, body.getJsonObject("error").getString("type"));
    String message = body.getJsonObject("error").getString("message");
    assertTrue(message.contains(messagePart), "message '" + message + "' should mention '" + messagePart + "'");
    assertFalse(message.contains("Exception") || message.contains("\tat "), "no stack traces: " + message);
    assertTrue(body.getString("request_id").startsWith("req_"));
    assertEquals(body.getString("request_id"), r.header("request-id"));
  }
}
