package dev.junction.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link Transfer} contract, run against every store: reading walks every row once, in load
 * order, through one snapshot; loading is all or nothing and refuses a store that holds data unless
 * asked to merge. Pages are two rows, so every table, and every agent's versions and session's log,
 * spans several pages. Each test gets stores of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TransferContract {
  private static final long T0 = 1_700_000_000_000L;
  private static final int PAGE = 2;

  protected Vertx vertx;
  private final List<Target> targets = new ArrayList<>();

  /** A started store and a transfer over the same database. */
  protected record Target(Store store, Transfer transfer) {
  }

  /** Builds a store over a new, empty database and a transfer reading {@code pageSize} rows per page. */
  protected abstract Target createTarget(Vertx vertx, int pageSize) throws Exception;

  @BeforeAll
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  void stopVertx() throws Exception {
    get(vertx.close());
  }

  @AfterEach
  void closeTargets() throws Exception {
    for (Target t : targets) {
      get(t.transfer().close());
      get(t.store().close());
    }
    targets.clear();
  }

  @Test
  void readsEveryRowOnceInLoadOrderAcrossPages() throws Exception {
    Target source = target();
    populate(source.store(), "a", 0);
    List<StoreRecord> records = readAll(source);

    Map<TransferTable, Long> counts = records.stream().collect(Collectors.groupingBy(TransferTable::of, Collectors.counting()));
    assertEquals(Map.of(TransferTable.AGENTS, 3L, TransferTable.AGENT_VERSIONS, 5L, TransferTable.DOCUMENTS, 3L,
        TransferTable.SESSIONS, 3L, TransferTable.EVENTS, 9L), counts);
    assertEquals(records.size(), new HashSet<>(records).size(), "no row twice");
    for (int i = 1; i < records.size(); i++) {
      assertTrue(TransferTable.of(records.get(i - 1)).ordinal() <= TransferTable.of(records.get(i)).ordinal(),
          "load order: " + records.get(i - 1) + " before " + records.get(i));
    }
    StoreRecord.Agent archived = (StoreRecord.Agent) records.stream()
        .filter(r -> r instanceof StoreRecord.Agent a && a.id().equals("agent_a1")).findFirst().orElseThrow();
    assertEquals(new StoreRecord.Agent("agent_a1", "tenant-a", 1, T0 + 1, T0 + 50), archived);
    StoreRecord.Session changed = (StoreRecord.Session) records.stream()
        .filter(r -> r instanceof StoreRecord.Session s && s.id().equals("sesn_a1")).findFirst().orElseThrow();
    assertEquals(3, changed.lastSeq());
    assertEquals("running", changed.status());
    assertEquals("tenant-b", changed.tenant());
  }

  @Test
  void loadsIntoAnEmptyStoreWhichThenHoldsTheSameRowsAndAnswersTheSame() throws Exception {
    Target source = target();
    populate(source.store(), "a", 0);
    List<StoreRecord> records = readAll(source);
    Target copy = target();

    load(copy, records, false);

    assertEquals(records, readAll(copy));
    Store from = source.store();
    Store to = copy.store();
    ListQuery all = new ListQuery(100, true, null, null, true, TimeRange.ALL, null, null, List.of(), List.of());
    for (String tenant : List.of("tenant-a", "tenant-b")) {
      assertEquals(get(from.listAgents(tenant, all)).items(), get(to.listAgents(tenant, all)).items());
      assertEquals(get(from.listDocuments("environment", tenant, all)).items(),
          get(to.listDocuments("environment", tenant, all)).items());
      assertEquals(get(from.listSessions(tenant, all)).items(), get(to.listSessions(tenant, all)).items());
    }
    assertEquals(get(from.listAgentVersions("tenant-a", "agent_a0", all)).orElseThrow().items(),
        get(to.listAgentVersions("tenant-a", "agent_a0", all)).orElseThrow().items());
    assertEquals(3, get(to.listAgentVersions("tenant-a", "agent_a0", all)).orElseThrow().items().size());
    assertEquals(get(from.listEvents("tenant-a", "sesn_a0", all)).orElseThrow().items(),
        get(to.listEvents("tenant-a", "sesn_a0", all)).orElseThrow().items());
    // The loaded store keeps working: the next event follows the imported log without a gap.
    SessionCommit next = get(to.commit("tenant-a", "sesn_a0", s -> new SessionChange(s, List.of(event(T0 + 99))))).orElseThrow();
    assertEquals(6, next.events().get(0).seq());
  }

  @Test
  void refusesToLoadIntoAStoreThatHoldsDataAndNamesIt() throws Exception {
    Target target = target();
    populate(target.store(), "a", 0);

    ExecutionException refused = assertThrows(ExecutionException.class, () -> get(target.transfer().load(false)));

    StoreNotEmptyException e = assertInstanceOf(StoreNotEmptyException.class, refused.getCause());
    assertTrue(e.getMessage().startsWith(target.transfer().location() + " already holds 3 agent(s), 3 document(s)"),
        e.getMessage());
    // The refused load let go of the database: the store still writes.
    assertNotNull(get(target.store().createAgent("tenant-a", agent("agent_after", T0 + 500), T0 + 500)));
  }

  @Test
  void aLoadThatIsRolledBackLeavesTheStoreEmptyAndLoadable() throws Exception {
    Target source = target();
    populate(source.store(), "a", 0);
    List<StoreRecord> records = readAll(source);
    Target target = target();

    Transfer.Loader loader = get(target.transfer().load(false));
    get(loader.write(records));
    get(loader.rollback());

    assertEquals(List.of(), readAll(target));
    load(target, records, false);
    assertEquals(records, readAll(target));
  }

  @Test
  void mergeAddsToAStoreButFailsWholeWhenAnIdIsAlreadyThere() throws Exception {
    Target first = target();
    populate(first.store(), "a", 0);
    Target second = target();
    populate(second.store(), "b", 1000);
    Target target = target();
    load(target, readAll(first), false);

    load(target, readAll(second), true);
    List<StoreRecord> merged = readAll(target);
    assertEquals(readAll(first).size() + readAll(second).size(), merged.size());

    Transfer.Loader again = get(target.transfer().load(true));
    ExecutionException duplicate = assertThrows(ExecutionException.class, () -> get(again.write(readAll(first))));
    get(again.rollback());
    assertTrue(duplicate.getCause().getMessage().contains("agent_a0"), duplicate.getCause().getMessage());
    assertEquals(merged, readAll(target), "a failed merge writes nothing");
  }

  @Test
  void aReaderSeesOneSnapshotWhileTheStoreKeepsWriting() throws Exception {
    Target source = target();
    populate(source.store(), "a", 0);
    Transfer.Reader reader = get(source.transfer().read());
    List<StoreRecord> records = new ArrayList<>(get(reader.next()));

    get(source.store().createAgent("tenant-a", agent("agent_zz", T0 + 900), T0 + 900));
    get(source.store().commit("tenant-a", "sesn_a0", s -> new SessionChange(s, List.of(event(T0 + 901)))));
    for (List<StoreRecord> page = get(reader.next()); !page.isEmpty(); page = get(reader.next())) {
      records.addAll(page);
    }
    get(reader.close());

    assertEquals(23, records.size(), "neither the new agent nor the new event: " + records);
    assertEquals(26, readAll(source).size(), "an agent, its version and an event were added");
  }

  @Test
  void readingADatabaseWithoutJunctionTablesFailsAndCreatesNone() throws Exception {
    Target bare = createTarget(vertx, PAGE);
    targets.add(bare);

    String first = assertThrows(ExecutionException.class, () -> get(bare.transfer().read())).getCause().getMessage();
    assertTrue(first.contains("nothing to export"), first);
    // Had the first attempt created anything, the second would read it or fail differently.
    assertEquals(first, assertThrows(ExecutionException.class, () -> get(bare.transfer().read())).getCause().getMessage());
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private Target target() throws Exception {
    Target t = createTarget(vertx, PAGE);
    targets.add(t);
    get(t.store().start());
    return t;
  }

  /**
   * Three agents (one with three versions, one archived), three environments (one archived), three
   * sessions (one with events committed after creation and a status change, one archived), over two
   * tenants: 3 agents, 5 versions, 3 documents, 3 sessions, 9 events.
   */
  private void populate(Store store, String p, long dt) throws Exception {
    long t = T0 + dt;
    get(store.createAgent("tenant-a", agent("agent_" + p + "0", t), t));
    get(store.updateAgent("tenant-a", "agent_" + p + "0", a -> a.put("name", "second")));
    get(store.updateAgent("tenant-a", "agent_" + p + "0", a -> a.put("name", "third")));
    get(store.createAgent("tenant-a", agent("agent_" + p + "1", t + 1), t + 1));
    get(store.archiveAgent("tenant-a", "agent_" + p + "1", t + 50, Timestamps.format(t + 50)));
    get(store.createAgent("tenant-b", agent("agent_" + p + "2", t + 2), t + 2));

    get(store.createDocument("environment", "tenant-a", environment("env_" + p + "0", t), t));
    get(store.createDocument("environment", "tenant-a", environment("env_" + p + "1", t + 1), t + 1));
    get(store.updateDocument("environment", "tenant-a", "env_" + p + "1", d -> d.put("archived_at", Timestamps.format(t + 60))));
    get(store.createDocument("environment", "tenant-b", environment("env_" + p + "2", t + 2), t + 2));

    get(store.createSession("tenant-a", session("sesn_" + p + "0", "agent_" + p + "0", t), t,
        List.of(event(t), event(t + 1), event(t + 2), event(t + 3), event(t + 4))));
    get(store.createSession("tenant-b", session("sesn_" + p + "1", "agent_" + p + "2", t + 1), t + 1, List.of()));
    get(store.commit("tenant-b", "sesn_" + p + "1", s -> new SessionChange(s.put("status", "running"),
        List.of(event(t + 5), event(t + 6), event(t + 7)))));
    get(store.createSession("tenant-a", session("sesn_" + p + "2", "agent_" + p + "0", t + 2), t + 2, List.of(event(t + 8))));
    get(store.commit("tenant-a", "sesn_" + p + "2", s -> new SessionChange(s.put("archived_at", Timestamps.format(t + 70)),
        List.of())));
  }

  private List<StoreRecord> readAll(Target t) throws Exception {
    Transfer.Reader reader = get(t.transfer().read());
    List<StoreRecord> out = new ArrayList<>();
    for (List<StoreRecord> page = get(reader.next()); !page.isEmpty(); page = get(reader.next())) {
      assertTrue(page.size() <= PAGE, "at most a page at a time");
      out.addAll(page);
    }
    get(reader.close());
    return out;
  }

  private void load(Target t, List<StoreRecord> records, boolean merge) throws Exception {
    Transfer.Loader loader = get(t.transfer().load(merge));
    for (int i = 0; i < records.size(); i += 3) {
      get(loader.write(records.subList(i, Math.min(records.size(), i + 3))));
    }
    get(loader.commit());
  }

  private static JsonObject agent(String id, long createdAt) {
    return new JsonObject().put("type", "agent").put("id", id).put("version", 1).put("name", "first")
        .put("model", new JsonObject().put("id", "claude-sonnet-4-5")).put("tools", new JsonArray())
        .put("created_at", Timestamps.format(createdAt)).put("updated_at", Timestamps.format(createdAt)).putNull("archived_at");
  }

  private static JsonObject environment(String id, long createdAt) {
    return new JsonObject().put("type", "environment").put("id", id).put("name", "env")
        .put("config", new JsonObject().put("type", "cloud")).put("created_at", Timestamps.format(createdAt))
        .putNull("archived_at");
  }

  private static JsonObject session(String id, String agentId, long createdAt) {
    return new JsonObject().put("type", "session").put("id", id).put("status", "idle")
        .put("agent", new JsonObject().put("id", agentId).put("version", 1).put("name", "main"))
        .put("stats", new JsonObject().put("active_seconds", 0.0)).put("_private", "kept")
        .put("created_at", Timestamps.format(createdAt)).putNull("archived_at");
  }

  private static JsonObject event(long processedAt) {
    return new JsonObject().put("id", Ids.next("sevt", processedAt)).put("type", "user.message")
        .put("processed_at", Timestamps.format(processedAt))
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "caf\u00e9 \u0000 \"q\"\n")));
  }

  protected static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
