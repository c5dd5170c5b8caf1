package dev.junction.app;

import dev.junction.testing.Eventually;
import dev.junction.testing.FakeTime;
import dev.junction.testing.Gateway;
import dev.junction.testing.Http;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code junction export} from a gateway's embedded store and {@code junction import} into
 * PostgreSQL, run in-process through the same entry points as the command line: a gateway on the
 * imported database answers every list and retrieve exactly as the original did. Both gateways read
 * one fake clock, so even a session's computed duration matches.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportImportIT {
  private static final Map<String, Object> NO_RETRIES = Map.of("harness", Map.of("max_retries", 0));

  private final FakeTime clock = new FakeTime(Instant.parse("2026-03-01T09:00:00Z"));
  private EmbeddedPostgres postgres;
  private Vertx vertx;
  private Pool admin;
  private Gateway source;
  private Path work;
  private Path sourceConfig;
  private Path export;
  private Map<String, String> sourceView;

  @BeforeAll
  void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    vertx = Vertx.vertx();
    admin = PgBuilder.pool().connectingTo(connectOptions()).using(vertx).build();
    work = Files.createTempDirectory("junction-export-it");
    source = Gateway.start(NO_RETRIES, Map.of(), null, clock);
    populate(new Http(source.baseUrl()));
    sourceView = apiView(new Http(source.baseUrl()));
    sourceConfig = config("sqlite.yaml", source.dataDir());
    export = work.resolve("junction-export.jsonl.gz");
    // Exported while the gateway is up: the export reads a snapshot beside it.
    Run run = exportTo(sourceConfig, Map.of(), export.toString());
    assertEquals(0, run.status(), run.err());
    assertTrue(run.err().contains("exported 3 agent(s) (5 version(s)), 3 environment(s), 4 session(s)"), run.err());
  }

  @AfterAll
  void stop() throws Exception {
    if (source != null) {
      source.close();
    }
    get(admin.close());
    get(vertx.close());
    postgres.close();
  }

  @Test
  void anExportFromSqliteImportedIntoPostgresListsIdenticallyThroughTheApi() throws Exception {
    PgConnectOptions db = freshDatabase();
    Map<String, String> pgEnv = Map.of("JUNCTION_DATABASE_URL", url(db));

    Run imported = importFrom(sourceConfig, pgEnv, "--in", export.toString());
    assertEquals(0, imported.status(), imported.err());
    assertTrue(imported.err().contains("imported 3 agent(s) (5 version(s)), 3 environment(s), 4 session(s)"),
        imported.err());
    assertTrue(imported.err().contains("into PostgreSQL database " + db.getDatabase()), imported.err());

    try (Gateway onPostgres = Gateway.start(NO_RETRIES, pgEnv, null, clock)) {
      Http pg = new Http(onPostgres.baseUrl());
      assertSameApi(sourceView, apiView(pg));

      // Back again, exported from PostgreSQL to standard output: the same records, line for line.
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      Run back = run(() -> TransferCommand.export(List.of("--out", "-"), sourceConfig, pgEnv, stdout, errStream()));
      assertEquals(0, back.status(), back.err());
      List<String> fromSqlite = lines(Files.readAllBytes(export));
      List<String> fromPostgres = lines(stdout.toByteArray());
      assertEquals("postgres", new JsonObject(fromPostgres.get(0)).getString("source"));
      assertEquals("sqlite", new JsonObject(fromSqlite.get(0)).getString("source"));
      assertEquals(fromSqlite.subList(1, fromSqlite.size()), fromPostgres.subList(1, fromPostgres.size()));

      // And into a fresh embedded store, which answers the same once more.
      Path again = Files.createDirectories(work.resolve("round-trip"));
      Path roundTrip = work.resolve("from-postgres.jsonl");
      Files.write(roundTrip, stdout.toByteArray());
      Run reloaded = importFrom(config("round-trip.yaml", again), Map.of(), "--in", roundTrip.toString());
      assertEquals(0, reloaded.status(), reloaded.err());
      try (Gateway onSqlite = Gateway.start(NO_RETRIES, Map.of("JUNCTION_DATA_DIR", again.toString()), null, clock)) {
        Http sqlite = new Http(onSqlite.baseUrl());
        assertSameApi(sourceView, apiView(sqlite));

        // Both carry on where the original stopped: a new turn continues the log after its last event.
        String talked = sessionWithEvents(sourceView, 12);
        for (Http moved : List.of(pg, sqlite)) {
          turn(moved, Gateway.KEY, talked, "after the move");
          assertEquals(18, events(moved, Gateway.KEY, talked).size());
        }
      }
    }
  }

  @Test
  void importIntoAStoreThatHoldsDataIsRefusedNamingItAndWritesNothing() throws Exception {
    PgConnectOptions db = freshDatabase();
    Map<String, String> pgEnv = Map.of("JUNCTION_DATABASE_URL", url(db));
    assertEquals(0, importFrom(sourceConfig, pgEnv, "--in", export.toString()).status());
    long rows = rowsIn(db);

    Run refused = importFrom(sourceConfig, pgEnv, "--in", export.toString());

    assertEquals(1, refused.status());
    assertTrue(refused.err().startsWith("import refused, nothing was written: PostgreSQL database " + db.getDatabase()
        + " at localhost:" + db.getPort() + " already holds 3 agent(s), 3 document(s) (environments) and 4 session(s)"),
        refused.err());
    assertTrue(refused.err().contains("or pass --merge"), refused.err());
    assertEquals(rows, rowsIn(db));

    // Merging the same file again collides on the first id and still writes nothing.
    Run merged = importFrom(sourceConfig, pgEnv, "--in", export.toString(), "--merge");
    assertEquals(1, merged.status());
    assertTrue(merged.err().startsWith("import failed, nothing was written to PostgreSQL database " + db.getDatabase()),
        merged.err());
    assertTrue(merged.err().contains("already exists"), merged.err());
    assertEquals(rows, rowsIn(db));

    // The embedded store says the same about itself.
    Run sqlite = importFrom(sourceConfig, Map.of(), "--in", export.toString());
    assertEquals(1, sqlite.status());
    assertTrue(sqlite.err().startsWith("import refused, nothing was written: SQLite database "
        + source.dataDir().resolve("junction.db") + " already holds 3 agent(s)"), sqlite.err());
  }

  @Test
  void aTruncatedOrDamagedFileIsRejectedAndNothingIsWritten() throws Exception {
    byte[] gz = Files.readAllBytes(export);
    List<String> lines = lines(gz);
    String whole = String.join("\n", lines) + "\n";
    int lastEvent = lines.size() - 2;
    assertTrue(lines.get(lastEvent).contains("\"record\":\"event\""), lines.get(lastEvent));
    List<String> withoutAnEvent = new ArrayList<>(lines);
    withoutAnEvent.remove(lastEvent);

    Map<String, byte[]> broken = new LinkedHashMap<>();
    broken.put("no-end.jsonl", (String.join("\n", lines.subList(0, lines.size() - 1)) + "\n").getBytes(StandardCharsets.UTF_8));
    broken.put("cut.jsonl", whole.substring(0, whole.lastIndexOf("\"record\":\"event\"") + 30).getBytes(StandardCharsets.UTF_8));
    broken.put("cut.jsonl.gz", Arrays.copyOf(gz, gz.length * 2 / 3));
    broken.put("missing-event.jsonl", (String.join("\n", withoutAnEvent) + "\n").getBytes(StandardCharsets.UTF_8));

    for (Map.Entry<String, byte[]> file : broken.entrySet()) {
      Path path = work.resolve(file.getKey());
      Files.write(path, file.getValue());
      PgConnectOptions db = freshDatabase();

      Run run = importFrom(sourceConfig, Map.of("JUNCTION_DATABASE_URL", url(db)), "--in", path.toString());

      assertEquals(1, run.status(), file.getKey() + ": " + run.err());
      assertTrue(run.err().startsWith("import failed, nothing was written to PostgreSQL database " + db.getDatabase()),
          file.getKey() + ": " + run.err());
      assertTrue(run.err().contains(file.getKey().startsWith("missing") ? "the file is damaged" : "truncated"),
          file.getKey() + ": " + run.err());
      assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
      assertEquals(0, rowsIn(db), file.getKey() + " wrote nothing");
    }

    Path dir = Files.createDirectories(work.resolve("truncated-sqlite"));
    Run sqlite = importFrom(config("truncated.yaml", dir), Map.of(), "--in", work.resolve("no-end.jsonl").toString());
    assertEquals(1, sqlite.status(), sqlite.err());
    assertTrue(sqlite.err().contains("without its end record: the file is truncated"), sqlite.err());
    assertEquals(0, rowsIn(dir.resolve("junction.db")));
  }

  // ---------------------------------------------------------------------------------------------
  // The data: every kind of record, in two tenants

  /**
   * Tenant a: an agent with three versions, an archived agent, two environments (one archived),
   * an idle session without events, one whose turn ended (no provider answers), and an archived one;
   * tenant b: an agent, an environment and a session with a turn.
   */
  private void populate(Http http) {
    String a = Gateway.KEY;
    String agent = id(post(http, a, "/v1/agents", new JsonObject().put("name", "helper").put("model", "claude-sonnet-4-6")
        .put("system", "You help.").put("metadata", new JsonObject().put("team", "ops"))));
    post(http, a, "/v1/agents/" + agent, new JsonObject().put("version", 1).put("name", "helper v2"));
    post(http, a, "/v1/agents/" + agent, new JsonObject().put("version", 2).put("description", "third version"));
    String retired = id(post(http, a, "/v1/agents", new JsonObject().put("name", "retired").put("model", "claude-sonnet-4-6")));
    post(http, a, "/v1/agents/" + retired + "/archive", new JsonObject());
    String env = id(post(http, a, "/v1/environments", new JsonObject().put("name", "main")));
    String oldEnv = id(post(http, a, "/v1/environments", new JsonObject().put("name", "old")));
    post(http, a, "/v1/environments/" + oldEnv + "/archive", new JsonObject());

    post(http, a, "/v1/sessions", new JsonObject().put("agent", agent).put("environment_id", env).put("title", "quiet"));
    String talked = id(post(http, a, "/v1/sessions", new JsonObject().put("agent", new JsonObject().put("type", "agent")
        .put("id", agent).put("version", 1)).put("environment_id", env)));
    turn(http, a, talked, "hello");
    turn(http, a, talked, "still there?");
    String archived = id(post(http, a, "/v1/sessions", new JsonObject().put("agent", agent).put("environment_id", env)));
    turn(http, a, archived, "one question");
    post(http, a, "/v1/sessions/" + archived + "/archive", new JsonObject());

    String b = Gateway.OTHER_KEY;
    String other = id(post(http, b, "/v1/agents", new JsonObject().put("name", "theirs").put("model", "claude-sonnet-4-6")));
    String otherEnv = id(post(http, b, "/v1/environments", new JsonObject().put("name", "theirs")));
    String otherSession = id(post(http, b, "/v1/sessions", new JsonObject().put("agent", other).put("environment_id", otherEnv)));
    turn(http, b, otherSession, "caf\u00e9 \u2603 \"quoted\"\nnew line");
  }

  /** Sends a user message and waits for the turn to end: with no provider configured it ends at once. */
  private void turn(Http http, String key, String session, String text) {
    JsonObject message = new JsonObject().put("type", "user.message")
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", text)));
    long before = events(http, key, session).size();
    post(http, key, "/v1/sessions/" + session + "/events", new JsonObject().put("events", new JsonArray().add(message)));
    Eventually.assertTrue("session " + session + " is idle again after its turn", () -> {
      JsonArray events = events(http, key, session);
      return events.size() > before + 1 && "session.status_idle".equals(events.getJsonObject(events.size() - 1).getString("type"))
          && "idle".equals(http.get("/v1/sessions/" + session, key).json().getString("status"));
    }, 20_000);
  }

  private JsonObject post(Http http, String key, String path, JsonObject body) {
    clock.advanceMillis(1_000);
    Http.Reply r = http.post(path, key, body);
    assertEquals(200, r.status(), path + ": " + r.body());
    return r.json();
  }

  private static JsonArray events(Http http, String key, String session) {
    return http.get("/v1/sessions/" + session + "/events?limit=1000", key).json().getJsonArray("data");
  }

  /** @return the tenant-a session whose log holds this many events in a view */
  private static String sessionWithEvents(Map<String, String> view, int count) {
    return view.entrySet().stream()
        .filter(e -> e.getKey().startsWith("tenant-a") && e.getKey().endsWith("/events?limit=1000"))
        .filter(e -> new JsonObject(e.getValue()).getJsonArray("data").size() == count)
        .map(e -> e.getKey().split("/")[3]).findFirst().orElseThrow();
  }

  private static String id(JsonObject resource) {
    return resource.getString("id");
  }

  // ---------------------------------------------------------------------------------------------
  // What the API shows, for comparison

  /** Every list and retrieve a client could make, keyed by tenant key and path, with the body returned. */
  private static Map<String, String> apiView(Http http) {
    Map<String, String> view = new LinkedHashMap<>();
    for (String key : List.of(Gateway.KEY, Gateway.OTHER_KEY)) {
      for (String id : ids(read(http, key, "/v1/agents?include_archived=true&limit=100", view))) {
        read(http, key, "/v1/agents/" + id, view);
        read(http, key, "/v1/agents/" + id + "?version=1", view);
        read(http, key, "/v1/agents/" + id + "/versions?limit=100", view);
      }
      read(http, key, "/v1/agents", view);
      for (String id : ids(read(http, key, "/v1/environments?include_archived=true&limit=100", view))) {
        read(http, key, "/v1/environments/" + id, view);
      }
      read(http, key, "/v1/environments", view);
      for (String id : ids(read(http, key, "/v1/sessions?include_archived=true&limit=100", view))) {
        read(http, key, "/v1/sessions/" + id, view);
        read(http, key, "/v1/sessions/" + id + "/events?limit=1000", view);
        read(http, key, "/v1/sessions/" + id + "/events?limit=2&order=desc", view);
      }
      read(http, key, "/v1/sessions", view);
      JsonObject first = read(http, key, "/v1/sessions?include_archived=true&limit=1", view);
      if (first.getString("next_page") != null) {
        read(http, key, "/v1/sessions?include_archived=true&limit=1&page="
            + URLEncoder.encode(first.getString("next_page"), StandardCharsets.UTF_8), view);
      }
    }
    return view;
  }

  private static JsonObject read(Http http, String key, String path, Map<String, String> view) {
    Http.Reply r = http.get(path, key);
    assertEquals(200, r.status(), path + ": " + r.body());
    view.put((key.equals(Gateway.KEY) ? "tenant-a " : "tenant-b ") + path, r.body());
    return r.json();
  }

  private static List<String> ids(JsonObject list) {
    List<String> ids = new ArrayList<>();
    list.getJsonArray("data").forEach(o -> ids.add(((JsonObject) o).getString("id")));
    return ids;
  }

  private static void assertSameApi(Map<String, String> expected, Map<String, String> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    for (Map.Entry<String, String> e : expected.entrySet()) {
      assertEquals(e.getValue(), actual.get(e.getKey()), e.getKey());
    }
    // The comparison covers what it should: all three versions, the archived rows, every turn.
    JsonObject agents = new JsonObject(expected.get("tenant-a /v1/agents?include_archived=true&limit=100"));
    assertEquals(2, agents.getJsonArray("data").size());
    String withVersions = expected.keySet().stream().filter(k -> k.startsWith("tenant-a") && k.endsWith("/versions?limit=100"))
        .filter(k -> new JsonObject(expected.get(k)).getJsonArray("data").size() == 3).findFirst().orElse(null);
    assertNotNull(withVersions, "an agent with three versions");
    JsonObject sessions = new JsonObject(expected.get("tenant-a /v1/sessions?include_archived=true&limit=100"));
    assertEquals(3, sessions.getJsonArray("data").size());
    assertEquals(2, new JsonObject(expected.get("tenant-a /v1/sessions")).getJsonArray("data").size(), "one is archived");
    long userMessages = expected.entrySet().stream().filter(e -> e.getKey().endsWith("/events?limit=1000"))
        .mapToLong(e -> new JsonObject(e.getValue()).getJsonArray("data").stream()
            .filter(o -> "user.message".equals(((JsonObject) o).getString("type"))).count()).sum();
    assertEquals(4, userMessages);
  }

  // ---------------------------------------------------------------------------------------------
  // The command line, in-process

  private record Run(int status, String err) {
  }

  private ByteArrayOutputStream errBuffer;

  private PrintStream errStream() {
    return new PrintStream(errBuffer, true, StandardCharsets.UTF_8);
  }

  private Run run(java.util.function.IntSupplier command) {
    errBuffer = new ByteArrayOutputStream();
    int status = command.getAsInt();
    return new Run(status, errBuffer.toString(StandardCharsets.UTF_8));
  }

  private Run exportTo(Path config, Map<String, String> env, String out) {
    return run(() -> TransferCommand.export(List.of("--out", out), config, env, new ByteArrayOutputStream(), errStream()));
  }

  private Run importFrom(Path config, Map<String, String> env, String... args) {
    return run(() -> TransferCommand.importFrom(List.of(args), config, env, InputStream.nullInputStream(), errStream()));
  }

  private Path config(String name, Path dataDir) throws IOException {
    Path file = work.resolve(name);
    Files.writeString(file, "store:\n  type: sqlite\n  data_dir: \"" + dataDir + "\"\n");
    return file;
  }

  private static List<String> lines(byte[] file) throws IOException {
    InputStream in = new ByteArrayInputStream(file);
    if (file.length > 1 && (file[0] & 0xff) == 0x1f && (file[1] & 0xff) == 0x8b) {
      in = new GZIPInputStream(in);
    }
    return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
  }

  // ---------------------------------------------------------------------------------------------
  // Databases

  private PgConnectOptions freshDatabase() throws Exception {
    String name = "junction_" + UUID.randomUUID().toString().replace("-", "");
    get(admin.query("CREATE DATABASE " + name).execute());
    return connectOptions().setDatabase(name);
  }

  private PgConnectOptions connectOptions() {
    return new PgConnectOptions().setHost("localhost").setPort(postgres.getPort()).setDatabase("postgres").setUser("postgres");
  }

  private static String url(PgConnectOptions db) {
    return "postgresql://" + db.getUser() + "@" + db.getHost() + ":" + db.getPort() + "/" + db.getDatabase();
  }

  /** Rows in every table an import writes (none when it never created them). */
  private long rowsIn(PgConnectOptions db) throws Exception {
    Pool pool = PgBuilder.pool().connectingTo(db).using(vertx).build();
    try {
      long tables = get(pool.query("SELECT count(*) FROM information_schema.tables WHERE table_name = 'agents'").execute())
          .iterator().next().getLong(0);
      if (tables == 0) {
        return 0;
      }
      return get(pool.query("SELECT (SELECT count(*) FROM agents) + (SELECT count(*) FROM agent_versions)"
          + " + (SELECT count(*) FROM documents) + (SELECT count(*) FROM sessions) + (SELECT count(*) FROM events)")
          .execute()).iterator().next().getLong(0);
    } finally {
      get(pool.close());
    }
  }

  private static long rowsIn(Path sqliteFile) throws Exception {
    if (!Files.exists(sqliteFile)) {
      return 0;
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqliteFile); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM agents) + (SELECT count(*) FROM agent_versions)"
             + " + (SELECT count(*) FROM documents) + (SELECT count(*) FROM sessions) + (SELECT count(*) FROM events)")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
