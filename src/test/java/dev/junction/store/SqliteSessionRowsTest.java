package dev.junction.store;

import dev.junction.store.sqlite.SqliteStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the embedded store keeps a session row across restarts: appends write only the fields they
 * change, other changes the whole document, and rows written before that split load as they were.
 */
class SqliteSessionRowsTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final String TENANT = "t";

  @Test
  void aRowWrittenBeforeTheHotColumnLoadsAndKeepsLaterAppendsAcrossRestarts() throws Exception {
    Path dir = Files.createTempDirectory("junction-session-rows");
    String sid = Ids.next("sesn", T0);
    JsonObject created = session(sid);
    SqliteStore first = started(dir);
    await(() -> first.createSession(TENANT, created, T0, List.of(event("user.message"))));
    await(first::close);

    // As a gateway before the hot column left it: the whole document in doc, schema version 1.
    JsonObject old = created.copy().put("status", "running").put("title", "old");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("junction.db"));
         Statement s = c.createStatement()) {
      try (PreparedStatement ps = c.prepareStatement("UPDATE sessions SET doc = ?, status = 'running' WHERE id = ?")) {
        ps.setString(1, old.encode());
        ps.setString(2, sid);
        ps.executeUpdate();
      }
      s.executeUpdate("ALTER TABLE sessions DROP COLUMN hot");
      s.executeUpdate("DELETE FROM schema_version WHERE version > 1");
    }

    SqliteStore migrated = started(dir);
    assertEquals(old.encode(), await(() -> migrated.session(TENANT, sid)).orElseThrow().encode());
    await(() -> migrated.commit(TENANT, sid, s -> new SessionChange(s.put("status", "idle").put("_running_since", T0)
        .put("usage", new JsonObject().put("input_tokens", 25)), List.of(event("session.status_idle")))));
    await(migrated::close);
    assertEquals(old.encode(), column(dir, "doc", sid), "an append leaves the document as it was and writes the hot fields");

    SqliteStore reopened = started(dir);
    JsonObject appended = await(() -> reopened.session(TENANT, sid)).orElseThrow();
    assertEquals("idle", appended.getString("status"));
    assertEquals(25, appended.getJsonObject("usage").getInteger("input_tokens"));
    assertEquals(T0, appended.getLong("_running_since"));
    assertEquals("old", appended.getString("title"), "fields an append did not touch are the last full write's");
    assertEquals(appended, await(() -> reopened.listSessions(TENANT, ListQuery.of(10, false))).items().get(0));
    assertEquals(List.of(new SessionKey(TENANT, sid)), await(() -> reopened.sessionsWithStatus(java.util.Set.of("idle"))));
    // A removed hot field stays removed; a changed title (not hot) is written with the whole document.
    await(() -> reopened.commit(TENANT, sid, s -> {
      s.remove("_running_since");
      return new SessionChange(s.put("title", "new"), List.of(event("user.message")));
    }));
    await(reopened::close);

    SqliteStore last = started(dir);
    JsonObject back = await(() -> last.session(TENANT, sid)).orElseThrow();
    assertFalse(back.containsKey("_running_since"));
    assertEquals("new", back.getString("title"));
    assertEquals("idle", back.getString("status"));
    assertEquals(List.of(1L, 2L, 3L), await(() -> last.eventsAfter(sid, 0, 10)).stream().map(StoredEvent::seq).toList());
    await(last::close);
  }

  @Test
  void aChangeWithoutEventsToAHotFieldSurvivesARestart() throws Exception {
    Path dir = Files.createTempDirectory("junction-session-rows");
    String sid = Ids.next("sesn", T0);
    SqliteStore first = started(dir);
    await(() -> first.createSession(TENANT, session(sid), T0, List.of()));
    await(() -> first.commit(TENANT, sid, s -> new SessionChange(s.put("status", "terminated"), List.of())));
    await(first::close);

    SqliteStore second = started(dir);
    assertEquals("terminated", await(() -> second.session(TENANT, sid)).orElseThrow().getString("status"));
    assertTrue(await(() -> second.eventsAfter(sid, 0, 10)).isEmpty());
    await(second::close);
  }

  private static String column(Path dir, String column, String sid) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("junction.db"));
         PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM sessions WHERE id = ?")) {
      ps.setString(1, sid);
      try (var rs = ps.executeQuery()) {
        assertTrue(rs.next());
        return rs.getString(1);
      }
    }
  }

  @Test
  void theLogIsCopiedIntoTheDatabaseFileWhileTheStoreRuns() throws Exception {
    Path dir = Files.createTempDirectory("junction-checkpoint");
    SqliteStore store = started(dir);
    Path db = dir.resolve("junction.db");
    long empty = Files.size(db);
    // One commit per batch: 256 batches, about 1 MB of sessions, so checkpoints are due several times.
    for (int i = 0; i < 256; i++) {
      String sid = Ids.next("sesn", T0 + i);
      await(() -> store.createSession(TENANT, session(sid), T0, List.of(event("user.message"))));
    }
    // Written back by the checkpoint thread, not by the commits (their automatic checkpoint is off)
    // and not by a close: the store is still open.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (Files.size(db) < empty + 500_000 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    long size = Files.size(db);
    await(store::close);
    assertTrue(size >= empty + 500_000, "the database file grew from " + empty + " to only " + size + " bytes");
  }

  private static SqliteStore started(Path dir) throws Exception {
    SqliteStore store = new SqliteStore(dir, "NORMAL", 1);
    await(store::start);
    return store;
  }

  private static JsonObject session(String id) {
    return new JsonObject().put("type", "session").put("id", id).put("status", "idle").putNull("title")
        .put("agent", new JsonObject().put("id", "agent_main").put("version", 1).put("name", "main")
            .put("system", "x".repeat(2000)))
        .put("usage", new JsonObject().put("input_tokens", 0)).put("created_at", Timestamps.format(T0))
        .put("updated_at", Timestamps.format(T0)).putNull("archived_at");
  }

  private static JsonObject event(String type) {
    return new JsonObject().put("id", Ids.next("sevt", T0)).put("type", type).put("processed_at", Timestamps.format(T0))
        .put("content", new JsonArray());
  }

  private static <T> T await(Supplier<Future<T>> call) throws Exception {
    return call.get().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
