package dev.junction.store;

import dev.junction.store.postgres.PgStore;
import dev.junction.testing.Gateway;
import dev.junction.testing.Http;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the PostgreSQL store adds beyond the contract: several nodes on one database. Each "node" here
 * is its own {@link PgStore} with its own pool, as separate processes would be.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgStoreNodesIT {
  private EmbeddedPostgres postgres;
  private Vertx vertx;
  private Pool admin;

  @BeforeAll
  void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    vertx = Vertx.vertx();
    admin = PgBuilder.pool().connectingTo(PgStoreContractIT.connectOptions(postgres)).using(vertx).build();
  }

  @AfterAll
  void stop() throws Exception {
    get(admin.close());
    get(vertx.close());
    postgres.close();
  }

  @Test
  void migrationsRunOnceWhenNodesStartTogether() throws Exception {
    PgConnectOptions db = freshDatabase();
    List<PgStore> nodes = new ArrayList<>();
    List<Future<Void>> started = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      PgStore node = new PgStore(vertx, db, 2);
      nodes.add(node);
      started.add(node.start());
    }
    get(Future.all(started));
    // A node that starts later finds the schema current and changes nothing.
    PgStore late = new PgStore(vertx, db, 1);
    get(late.start());
    nodes.add(late);

    Pool check = PgBuilder.pool().connectingTo(db).using(vertx).build();
    Row versions = get(check.query("SELECT count(*), count(DISTINCT version), max(version) FROM schema_version").execute())
        .iterator().next();
    get(check.close());
    assertTrue(versions.getLong(0) >= 1);
    assertEquals(versions.getLong(0), versions.getLong(1), "each migration recorded once");
    assertEquals(versions.getLong(0), (long) versions.getInteger(2), "versions run 1..n without a hole");
    for (PgStore node : nodes) {
      get(node.close());
    }
  }

  @Test
  void twoNodesWritingOneSessionShareOneGaplessSequence() throws Exception {
    PgConnectOptions db = freshDatabase();
    PgStore a = new PgStore(vertx, db, 3);
    PgStore b = new PgStore(vertx, db, 3);
    List<Long> heardA = Collections.synchronizedList(new ArrayList<>());
    List<Long> heardB = Collections.synchronizedList(new ArrayList<>());
    a.onCommit(localOnly((t, s, events) -> events.forEach(e -> heardA.add(e.seq()))));
    b.onCommit(localOnly((t, s, events) -> events.forEach(e -> heardB.add(e.seq()))));
    get(Future.all(a.start(), b.start()));
    String tenant = "tenant-" + UUID.randomUUID();
    String sid = Ids.next("sesn", System.currentTimeMillis());
    JsonObject session = new JsonObject().put("id", sid).put("status", "idle")
        .put("agent", new JsonObject().put("id", "agent_x").put("version", 1))
        .put("created_at", Timestamps.format(System.currentTimeMillis()));
    get(a.createSession(tenant, session, System.currentTimeMillis(), List.of(event())));

    int commitsEach = 25;
    List<Future<?>> writes = new ArrayList<>();
    for (PgStore node : List.of(a, b)) {
      for (int w = 0; w < 2; w++) {
        Context ctx = vertx.getOrCreateContext();
        Future<Void> done = Future.future(p -> ctx.runOnContext(v -> {
          List<Future<?>> mine = new ArrayList<>();
          for (int i = 0; i < commitsEach; i++) {
            mine.add(node.commit(tenant, sid, s -> new SessionChange(s.put("status", "running"), List.of(event(), event()))));
          }
          Future.all(mine).<Void>mapEmpty().onComplete(p);
        }));
        writes.add(done);
      }
    }
    get(Future.all(writes));

    long total = 1 + 4L * commitsEach * 2;
    List<Long> all = LongStream.rangeClosed(1, total).boxed().collect(Collectors.toList());
    assertEquals(all, get(b.eventsAfter(sid, 0, 10_000)).stream().map(StoredEvent::seq).collect(Collectors.toList()));
    assertEquals(total, heardA.size() + heardB.size(), "every batch is told once, by the node that wrote it");
    assertIncreasing(heardA);
    assertIncreasing(heardB);
    assertEquals("running", get(b.session(tenant, sid)).orElseThrow().getString("status"));
    get(Future.all(a.close(), b.close()));
  }

  @Test
  void theGatewayRunsOnPostgresWhenTheEnvironmentNamesIt() throws Exception {
    PgConnectOptions db = freshDatabase();
    String url = "postgresql://" + db.getUser() + "@" + db.getHost() + ":" + db.getPort() + "/" + db.getDatabase();
    try (Gateway gw = Gateway.start(Map.of(), Map.of("JUNCTION_DATABASE_URL", url), null)) {
      Http http = new Http(gw.baseUrl());
      Http.Reply agent = http.post("/v1/agents", Gateway.KEY, new JsonObject().put("name", "pg").put("model", "claude-sonnet-4-6"));
      assertEquals(200, agent.status(), agent.body());
      Http.Reply env = http.post("/v1/environments", Gateway.KEY, new JsonObject().put("name", "env"));
      assertEquals(200, env.status(), env.body());
      Http.Reply session = http.post("/v1/sessions", Gateway.KEY, new JsonObject().put("agent", agent.json().getString("id"))
          .put("environment_id", env.json().getString("id")));
      assertEquals(200, session.status(), session.body());
      String sid = session.json().getString("id");
      assertEquals(200, http.get("/v1/sessions/" + sid, Gateway.KEY).status());
      JsonArray listed = http.get("/v1/agents", Gateway.KEY).json().getJsonArray("data");
      assertEquals(1, listed.size());

      Pool check = PgBuilder.pool().connectingTo(db).using(vertx).build();
      Row row = get(check.preparedQuery("SELECT tenant, doc FROM sessions WHERE id = $1").execute(Tuple.of(sid))).iterator().next();
      get(check.close());
      assertEquals("tenant-a", row.getString(0), "the session lives in PostgreSQL");
      assertEquals(sid, row.getJsonObject(1).getString("id"));
    }
  }

  @Test
  void aStreamOnOneNodeHearsEveryEventAnotherNodeAppendsInOrder() throws Exception {
    PgConnectOptions db = freshDatabase();
    PgStore a = new PgStore(vertx, db, 3, "node-a");
    PgStore b = new PgStore(vertx, db, 3, "node-b");
    List<Long> heard = Collections.synchronizedList(new ArrayList<>());
    List<Long> unwanted = Collections.synchronizedList(new ArrayList<>());
    b.onCommit((t, s, events) -> events.forEach(e -> heard.add(e.seq())));
    b.onCommit(localOnly((t, s, events) -> events.forEach(e -> unwanted.add(e.seq()))));
    get(Future.all(a.start(), b.start()));
    String tenant = "tenant-" + UUID.randomUUID();
    String sid = newSession(a, tenant);

    int commits = 200;
    Context ctx = vertx.getOrCreateContext();
    get(Future.<Void>future(p -> ctx.runOnContext(v -> {
      List<Future<?>> mine = new ArrayList<>();
      for (int i = 0; i < commits; i++) {
        mine.add(a.commit(tenant, sid, s -> new SessionChange(s, List.of(event(), event()))));
      }
      Future.all(mine).<Void>mapEmpty().onComplete(p);
    })));

    List<Long> all = LongStream.rangeClosed(1, 1 + 2L * commits).boxed().collect(Collectors.toList());
    dev.junction.testing.Eventually.assertTrue("node B heard every event node A appended",
        () -> {
          synchronized (heard) {
            return heard.equals(all);
          }
        }, 30_000);
    assertEquals(List.of(), unwanted, "a listener that does not follow the session is not told of other nodes' commits");

    // A delete on A ends the session on B.
    List<String> deleted = Collections.synchronizedList(new ArrayList<>());
    b.onCommit(new CommitListener() {
      @Override
      public void committed(String t, String s, List<StoredEvent> events) {
      }

      @Override
      public void deletedElsewhere(String t, String s) {
        deleted.add(s);
      }
    });
    assertTrue(get(a.deleteSession(tenant, sid)).isPresent());
    dev.junction.testing.Eventually.assertTrue("node B heard of the delete", () -> deleted.equals(List.of(sid)), 30_000);
    get(Future.all(a.close(), b.close()));
  }

  @Test
  void exactlyOneNodeHoldsASessionsLeaseAndATakenOverNodeCannotWrite() throws Exception {
    PgConnectOptions db = freshDatabase();
    PgStore a = new PgStore(vertx, db, 2, "node-a");
    PgStore b = new PgStore(vertx, db, 2, "node-b");
    get(Future.all(a.start(), b.start()));
    String tenant = "tenant-" + UUID.randomUUID();
    String sid = newSession(a, tenant);
    long t0 = 1_000_000;
    long ttl = 10_000;

    assertTrue(get(a.leases().acquire(tenant, sid, t0, ttl)), "a free lease is taken");
    assertFalse(get(b.leases().acquire(tenant, sid, t0 + 1, ttl)), "a live lease of another node is not");
    assertTrue(get(a.leases().acquire(tenant, sid, t0 + 2, ttl)), "the holder may take it again");
    assertEquals(Set.of(), get(a.leases().renew(Set.of(sid), t0 + 5_000, ttl)), "renewal keeps it");
    assertFalse(get(b.leases().acquire(tenant, sid, t0 + 12_000, ttl)), "renewed at t0+5s, it lives until t0+15s");
    assertEquals(List.of(), get(b.leases().orphaned(t0 + 12_000)));

    // Node A stops renewing (it died or stalled): after the TTL the lease is orphaned and B takes it.
    assertEquals(List.of(new SessionKey(tenant, sid)), get(b.leases().orphaned(t0 + 15_001)));
    assertTrue(get(b.leases().acquire(tenant, sid, t0 + 15_001, ttl)));
    assertEquals(Set.of(sid), get(a.leases().renew(Set.of(sid), t0 + 15_002, ttl)), "A learns it lost the session");

    // A write that A decided before it knew is refused whole; B's goes in.
    long before = get(a.eventsAfter(sid, 0, 100)).size();
    Exception refused = assertThrows(Exception.class,
        () -> get(a.commit(tenant, sid, s -> new SessionChange(s.put("status", "running"), List.of(event()), "node-a"))));
    assertTrue(refused.getCause() instanceof LeaseLostException, String.valueOf(refused));
    assertEquals(before, get(a.eventsAfter(sid, 0, 100)).size(), "nothing of the refused write was kept");
    assertEquals("idle", get(a.session(tenant, sid)).orElseThrow().getString("status"));
    get(b.commit(tenant, sid, s -> new SessionChange(s, List.of(event()), "node-b")));
    assertEquals(before + 1, get(b.eventsAfter(sid, 0, 100)).size());

    // Released, an idle session needs no runner; a running one without a lease does.
    get(a.leases().release(sid));
    assertFalse(get(a.leases().acquire(tenant, sid, t0 + 15_003, ttl)), "releasing another node's lease does nothing");
    get(b.leases().release(sid));
    assertEquals(List.of(), get(b.leases().orphaned(t0 + 15_004)));
    get(b.commit(tenant, sid, s -> new SessionChange(s.put("status", "running"), List.of())));
    assertEquals(List.of(new SessionKey(tenant, sid)), get(a.leases().orphaned(t0 + 15_005)));
    get(Future.all(a.close(), b.close()));
  }

  private static String newSession(PgStore store, String tenant) throws Exception {
    String sid = Ids.next("sesn", System.currentTimeMillis());
    JsonObject session = new JsonObject().put("id", sid).put("status", "idle")
        .put("agent", new JsonObject().put("id", "agent_x").put("version", 1))
        .put("created_at", Timestamps.format(System.currentTimeMillis()));
    get(store.createSession(tenant, session, System.currentTimeMillis(), List.of(event())));
    return sid;
  }

  /** A listener that follows no session, so it hears only the commits made through its own node. */
  private static CommitListener localOnly(CommitListener l) {
    return new CommitListener() {
      @Override
      public void committed(String tenant, String sessionId, List<StoredEvent> events) {
        l.committed(tenant, sessionId, events);
      }

      @Override
      public boolean wants(String sessionId) {
        return false;
      }
    };
  }

  private PgConnectOptions freshDatabase() throws Exception {
    String name = "junction_" + UUID.randomUUID().toString().replace("-", "");
    get(admin.query("CREATE DATABASE " + name).execute());
    return PgStoreContractIT.connectOptions(postgres).setDatabase(name);
  }

  private static JsonObject event() {
    long now = System.currentTimeMillis();
    return new JsonObject().put("id", Ids.next("sevt", now)).put("type", "agent.message").put("processed_at", Timestamps.format(now));
  }

  private static void assertIncreasing(List<Long> seqs) {
    List<Long> copy;
    synchronized (seqs) {
      copy = List.copyOf(seqs);
    }
    for (int i = 1; i < copy.size(); i++) {
      assertTrue(copy.get(i) > copy.get(i - 1), "a node tells its batches in sequence order: " + copy);
    }
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
