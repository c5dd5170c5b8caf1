package dev.junction.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store SPI's contract, run against every implementation. One store serves the whole class;
 * each test works in a tenant of its own, so tests never see each other's rows. Store calls are made
 * from a Vert.x event-loop context and each result is checked to arrive on that same context.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StoreContract {
  private static final long T0 = 1_700_000_000_000L;

  protected Vertx vertx;
  protected Store store;
  private Context context;
  private final Map<String, List<StoredEvent>> heard = new ConcurrentHashMap<>();
  private String tenant;

  /** Builds a store that is not started yet. */
  protected abstract Store createStore(Vertx vertx) throws Exception;

  @BeforeAll
  void startStore() throws Exception {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    store = createStore(vertx);
    store.onCommit((t, sessionId, events) -> heard.computeIfAbsent(sessionId, k -> Collections.synchronizedList(new ArrayList<>()))
        .addAll(events));
    await(store::start);
  }

  @AfterAll
  void stopStore() throws Exception {
    if (store != null) {
      await(store::close);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @BeforeEach
  void newTenant() {
    tenant = "tenant-" + UUID.randomUUID();
  }

  // ---------------------------------------------------------------------------------------------
  // Agents

  @Test
  void agentVersionsAreImmutableAndUpdatesWriteOnlyRealChanges() throws Exception {
    JsonObject v1 = await(() -> store.createAgent(tenant, agent("agent_a", "first", T0), T0));
    assertEquals("first", v1.getString("name"));

    JsonObject v2 = await(() -> store.updateAgent(tenant, "agent_a", a -> a.put("name", "second"))).orElseThrow();
    assertEquals(2L, v2.getLong("version"));
    assertEquals("second", v2.getString("name"));

    JsonObject same = await(() -> store.updateAgent(tenant, "agent_a", a -> a)).orElseThrow();
    assertEquals(2L, same.getLong("version"), "an unchanged document writes no version");

    ExecutionException refused = assertThrows(ExecutionException.class, () -> await(() -> store.updateAgent(tenant, "agent_a",
        a -> {
          throw new StoreConflictException("stale", "lost a race");
        })));
    assertEquals("stale", assertInstanceOf(StoreConflictException.class, refused.getCause()).code());

    assertEquals("second", await(() -> store.agent(tenant, "agent_a", null)).orElseThrow().getString("name"));
    assertEquals("first", await(() -> store.agent(tenant, "agent_a", 1L)).orElseThrow().getString("name"));
    assertEquals(2L, await(() -> store.agent(tenant, "agent_a", 2L)).orElseThrow().getLong("version"));
    assertTrue(await(() -> store.agent(tenant, "agent_a", 3L)).isEmpty());
    assertTrue(await(() -> store.agent(tenant, "agent_a", 0L)).isEmpty());
    assertTrue(await(() -> store.agent(tenant, "agent_missing", null)).isEmpty());
    assertTrue(await(() -> store.updateAgent(tenant, "agent_missing", a -> a.put("name", "x"))).isEmpty());

    Page<JsonObject> newest = await(() -> store.listAgentVersions(tenant, "agent_a", ListQuery.of(10, true))).orElseThrow();
    assertEquals(List.of(2L, 1L), versions(newest));
    Page<JsonObject> oldest = await(() -> store.listAgentVersions(tenant, "agent_a", ListQuery.of(1, false))).orElseThrow();
    assertEquals(List.of(1L), versions(oldest));
    assertNotNull(oldest.next());
    Page<JsonObject> second = await(() -> store.listAgentVersions(tenant, "agent_a", after(ListQuery.of(1, false), oldest.next())))
        .orElseThrow();
    assertEquals(List.of(2L), versions(second));
    assertNull(second.next());
    assertTrue(await(() -> store.listAgentVersions(tenant, "agent_missing", ListQuery.of(10, true))).isEmpty());
  }

  @Test
  void archivingIsIdempotentAndHidesTheAgentFromDefaultLists() throws Exception {
    await(() -> store.createAgent(tenant, agent("agent_keep", "keep", T0), T0));
    await(() -> store.createAgent(tenant, agent("agent_gone", "gone", T0 + 1), T0 + 1));

    JsonObject archived = await(() -> store.archiveAgent(tenant, "agent_gone", T0 + 50, Timestamps.format(T0 + 50)))
        .orElseThrow();
    assertEquals(Timestamps.format(T0 + 50), archived.getString("archived_at"));
    JsonObject again = await(() -> store.archiveAgent(tenant, "agent_gone", T0 + 99, Timestamps.format(T0 + 99)))
        .orElseThrow();
    assertEquals(Timestamps.format(T0 + 50), again.getString("archived_at"), "the first archive time stays");
    assertEquals(Timestamps.format(T0 + 50), await(() -> store.agent(tenant, "agent_gone", 1L)).orElseThrow()
        .getString("archived_at"));
    assertNull(await(() -> store.agent(tenant, "agent_keep", null)).orElseThrow().getString("archived_at"));
    assertTrue(await(() -> store.archiveAgent(tenant, "agent_missing", T0, Timestamps.format(T0))).isEmpty());

    assertEquals(List.of("agent_keep"), ids(await(() -> store.listAgents(tenant, ListQuery.of(10, false)))));
    ListQuery all = withArchived(ListQuery.of(10, false));
    Page<JsonObject> everything = await(() -> store.listAgents(tenant, all));
    assertEquals(List.of("agent_keep", "agent_gone"), ids(everything));
    assertEquals(Timestamps.format(T0 + 50), everything.items().get(1).getString("archived_at"));
  }

  @Test
  void agentListsPageForwardAndBackwardInBothOrders() throws Exception {
    // Two agents share a creation time so the id must break the tie.
    List<String> created = new ArrayList<>();
    long[] times = {T0, T0 + 10, T0 + 10, T0 + 20, T0 + 30};
    for (int i = 0; i < times.length; i++) {
      String id = "agent_" + i;
      long at = times[i];
      await(() -> store.createAgent(tenant, agent(id, "n" + id, at), at));
      created.add(id);
    }

    Page<JsonObject> p1 = await(() -> store.listAgents(tenant, ListQuery.of(2, false)));
    assertEquals(created.subList(0, 2), ids(p1));
    assertNull(p1.prev());
    assertNotNull(p1.next());
    Page<JsonObject> p2 = await(() -> store.listAgents(tenant, after(ListQuery.of(2, false), p1.next())));
    assertEquals(created.subList(2, 4), ids(p2));
    assertNotNull(p2.prev());
    Page<JsonObject> p3 = await(() -> store.listAgents(tenant, after(ListQuery.of(2, false), p2.next())));
    assertEquals(created.subList(4, 5), ids(p3));
    assertNull(p3.next());
    Page<JsonObject> back = await(() -> store.listAgents(tenant, before(ListQuery.of(2, false), p2.prev())));
    assertEquals(created.subList(0, 2), ids(back));
    assertNull(back.prev(), "nothing before the first page");
    assertNotNull(back.next());
    Page<JsonObject> back2 = await(() -> store.listAgents(tenant, before(ListQuery.of(2, false), p3.prev())));
    assertEquals(created.subList(2, 4), ids(back2));
    assertNotNull(back2.prev());

    List<String> reversed = new ArrayList<>(created);
    Collections.reverse(reversed);
    Page<JsonObject> d1 = await(() -> store.listAgents(tenant, ListQuery.of(3, true)));
    assertEquals(reversed.subList(0, 3), ids(d1));
    Page<JsonObject> d2 = await(() -> store.listAgents(tenant, after(ListQuery.of(3, true), d1.next())));
    assertEquals(reversed.subList(3, 5), ids(d2));
    assertNull(d2.next());
    Page<JsonObject> dBack = await(() -> store.listAgents(tenant, before(ListQuery.of(3, true), d2.prev())));
    assertEquals(reversed.subList(0, 3), ids(dBack));

    ListQuery ranged = range(ListQuery.of(10, false), new TimeRange(T0 + 10, T0 + 20));
    assertEquals(created.subList(1, 4), ids(await(() -> store.listAgents(tenant, ranged))));
    ListQuery empty = range(ListQuery.of(10, false), new TimeRange(T0 + 31, Long.MAX_VALUE));
    Page<JsonObject> none = await(() -> store.listAgents(tenant, empty));
    assertTrue(none.items().isEmpty());
    assertNull(none.next());
    assertNull(none.prev());
  }

  // ---------------------------------------------------------------------------------------------
  // Documents

  @Test
  void documentsAreCreatedChangedListedAndDeleted() throws Exception {
    JsonObject env = new JsonObject().put("id", "env_1").put("name", "one").put("created_at", Timestamps.format(T0))
        .put("config", new JsonObject().put("type", "cloud")).putNull("archived_at");
    await(() -> store.createDocument("environment", tenant, env, T0));
    await(() -> store.createDocument("environment", tenant,
        env.copy().put("id", "env_2").put("created_at", Timestamps.format(T0 + 1)), T0 + 1));
    assertEquals(env, await(() -> store.document("environment", tenant, "env_1")).orElseThrow());
    assertTrue(await(() -> store.document("vault", tenant, "env_1")).isEmpty(), "kinds are separate");

    JsonObject changed = await(() -> store.updateDocument("environment", tenant, "env_1", d -> d.put("name", "uno")))
        .orElseThrow();
    assertEquals("uno", changed.getString("name"));
    assertEquals("uno", await(() -> store.document("environment", tenant, "env_1")).orElseThrow().getString("name"));
    assertThrows(ExecutionException.class, () -> await(() -> store.updateDocument("environment", tenant, "env_1",
        d -> {
          d.put("name", "never");
          throw new StoreConflictException("in_use", "still referenced");
        })));
    assertEquals("uno", await(() -> store.document("environment", tenant, "env_1")).orElseThrow().getString("name"));
    assertTrue(await(() -> store.updateDocument("environment", tenant, "env_missing", d -> d)).isEmpty());

    assertEquals(List.of("env_1", "env_2"), ids(await(() -> store.listDocuments("environment", tenant, ListQuery.of(10, false)))));
    Page<JsonObject> firstPage = await(() -> store.listDocuments("environment", tenant, ListQuery.of(1, true)));
    assertEquals(List.of("env_2"), ids(firstPage));
    assertEquals(List.of("env_1"), ids(await(() -> store.listDocuments("environment", tenant,
        after(ListQuery.of(1, true), firstPage.next())))));

    await(() -> store.updateDocument("environment", tenant, "env_2", d -> d.put("archived_at", Timestamps.format(T0 + 5))));
    assertEquals(List.of("env_1"), ids(await(() -> store.listDocuments("environment", tenant, ListQuery.of(10, false)))));
    assertEquals(List.of("env_1", "env_2"), ids(await(() -> store.listDocuments("environment", tenant,
        withArchived(ListQuery.of(10, false))))));
    assertEquals(List.of("env_2"), ids(await(() -> store.listDocuments("environment", tenant,
        range(withArchived(ListQuery.of(10, false)), new TimeRange(T0 + 1, T0 + 1))))));

    assertTrue(await(() -> store.deleteDocument("environment", tenant, "env_1")));
    assertFalse(await(() -> store.deleteDocument("environment", tenant, "env_1")));
    assertTrue(await(() -> store.document("environment", tenant, "env_1")).isEmpty());
  }

  // ---------------------------------------------------------------------------------------------
  // Sessions

  @Test
  void aSessionIsCreatedWithItsInitialEventsInOneCommit() throws Exception {
    String sid = sessionId();
    SessionCommit created = await(() -> store.createSession(tenant, session(sid, "idle", T0), T0,
        List.of(event("status.idle", T0), event("user.message", T0))));
    assertEquals(List.of(1L, 2L), seqs(created.events()));
    assertEquals(sid, created.events().get(0).sessionId());
    assertEquals("idle", await(() -> store.session(tenant, sid)).orElseThrow().getString("status"));
    assertEquals(seqs(created.events()), seqs(heardFor(sid)), "listeners hear of the initial events");

    String quiet = sessionId();
    assertTrue(await(() -> store.createSession(tenant, session(quiet, "idle", T0), T0, List.of())).events().isEmpty());
    assertTrue(await(() -> store.eventsAfter(quiet, 0, 10)).isEmpty());
  }

  @Test
  void aCommitAppendsAfterTheLastSequenceAndRewritesTheSession() throws Exception {
    String sid = sessionId();
    await(() -> store.createSession(tenant, session(sid, "idle", T0), T0, List.of(event("status.idle", T0))));

    SessionCommit running = await(() -> store.commit(tenant, sid, s -> new SessionChange(s.put("status", "running"),
        List.of(event("user.message", T0 + 1), event("status.running", T0 + 1))))).orElseThrow();
    assertEquals(List.of(2L, 3L), seqs(running.events()));
    assertEquals("running", running.session().getString("status"));
    assertEquals("running", await(() -> store.session(tenant, sid)).orElseThrow().getString("status"));

    // A change with no events still writes the session when it differs.
    SessionCommit titled = await(() -> store.commit(tenant, sid, s -> new SessionChange(s.put("title", "named"), List.of())))
        .orElseThrow();
    assertTrue(titled.events().isEmpty());
    assertEquals("named", await(() -> store.session(tenant, sid)).orElseThrow().getString("title"));

    SessionCommit next = await(() -> store.commit(tenant, sid, s -> new SessionChange(s, List.of(event("agent.message", T0 + 2)))))
        .orElseThrow();
    assertEquals(List.of(4L), seqs(next.events()));
    assertEquals(List.of(1L, 2L, 3L, 4L), seqs(heardFor(sid)));
    assertTrue(await(() -> store.commit(tenant, "sesn_missing", s -> new SessionChange(s, List.of()))).isEmpty());
  }

  @Test
  void aChangeThatThrowsWritesNothing() throws Exception {
    String sid = sessionId();
    await(() -> store.createSession(tenant, session(sid, "idle", T0), T0, List.of(event("status.idle", T0))));
    int heardBefore = heardFor(sid).size();

    ExecutionException failed = assertThrows(ExecutionException.class, () -> await(() -> store.commit(tenant, sid, s -> {
      s.put("status", "terminated");
      throw new StoreConflictException("session_terminated", "no");
    })));
    assertEquals("session_terminated", assertInstanceOf(StoreConflictException.class, failed.getCause()).code());

    assertEquals("idle", await(() -> store.session(tenant, sid)).orElseThrow().getString("status"));
    assertEquals(List.of(1L), seqs(await(() -> store.eventsAfter(sid, 0, 100))));
    assertEquals(heardBefore, heardFor(sid).size(), "no listener hears of a rolled-back write");

    // The aborted write left the sequence where it was.
    SessionCommit after = await(() -> store.commit(tenant, sid, s -> new SessionChange(s, List.of(event("user.message", T0)))))
        .orElseThrow();
    assertEquals(List.of(2L), seqs(after.events()));
  }

  @Test
  void anAppendTheDatabaseRefusesLeavesTheSessionAsItWas() throws Exception {
    String sid = sessionId();
    JsonObject first = event("status.idle", T0);
    await(() -> store.createSession(tenant, session(sid, "idle", T0), T0, List.of(first)));
    int heardBefore = heardFor(sid).size();

    // An event id already in the log violates its uniqueness: the row change must roll back with it.
    assertThrows(ExecutionException.class, () -> await(() -> store.commit(tenant, sid,
        s -> new SessionChange(s.put("status", "running"), List.of(event("user.message", T0), first.copy())))));
    assertEquals("idle", await(() -> store.session(tenant, sid)).orElseThrow().getString("status"));
    assertEquals(List.of(1L), seqs(await(() -> store.eventsAfter(sid, 0, 100))));
    assertEquals(heardBefore, heardFor(sid).size());
    assertEquals(List.of(2L), seqs(await(() -> store.commit(tenant, sid,
        s -> new SessionChange(s, List.of(event("user.message", T0))))).orElseThrow().events()));
  }

  @Test
  void concurrentCommitsFromSeveralContextsKeepTheSequenceContiguousAndListenersInOrder() throws Exception {
    String sid = sessionId();
    await(() -> store.createSession(tenant, session(sid, "idle", T0), T0, List.of(event("status.idle", T0))));
    int writers = 4;
    int commitsEach = 15;
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      Context ctx = vertx.getOrCreateContext();
      CompletableFuture<Void> done = new CompletableFuture<>();
      all.add(done);
      ctx.runOnContext(v -> {
        List<Future<?>> mine = new ArrayList<>();
        for (int i = 0; i < commitsEach; i++) {
          mine.add(store.commit(tenant, sid, s -> new SessionChange(s.put("status", "running"),
              List.of(event("agent.message", T0), event("agent.thinking", T0))))
              .onSuccess(r -> {
                if (Vertx.currentContext() != ctx) {
                  done.completeExceptionally(new AssertionError("completed off the caller's context"));
                }
              }));
        }
        Future.all(mine).onComplete(ar -> {
          if (ar.succeeded()) {
            done.complete(null);
          } else {
            done.completeExceptionally(ar.cause());
          }
        });
      });
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    long total = 1 + (long) writers * commitsEach * 2;
    List<Long> expected = LongStreamRange.closed(1, total);
    assertEquals(expected, seqs(await(() -> store.eventsAfter(sid, 0, 10_000))));
    assertEquals(expected, seqs(heardFor(sid)), "listeners hear every batch once, in sequence order");
  }

  @Test
  void eventsAreListedByTypeOrderAndPage() throws Exception {
    String sid = sessionId();
    List<JsonObject> events = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      events.add(event(i % 2 == 0 ? "user.message" : "agent.message", T0 + i));
    }
    await(() -> store.createSession(tenant, session(sid, "idle", T0), T0, events));

    Page<StoredEvent> all = await(() -> store.listEvents(tenant, sid, ListQuery.of(100, false))).orElseThrow();
    assertEquals(LongStreamRange.closed(1, 7), seqs(all.items()));
    assertEquals(events.get(3), all.items().get(3).json());
    assertEquals(events.get(3).getString("id"), all.items().get(3).id());
    assertEquals("agent.message", all.items().get(3).type());
    assertEquals(T0 + 3, all.items().get(3).processedAt());

    ListQuery users = types(ListQuery.of(100, false), List.of("user.message"));
    assertEquals(List.of(1L, 3L, 5L, 7L), seqs(await(() -> store.listEvents(tenant, sid, users)).orElseThrow().items()));
    ListQuery both = types(ListQuery.of(100, true), List.of("user.message", "agent.message"));
    assertEquals(List.of(7L, 6L, 5L, 4L, 3L, 2L, 1L), seqs(await(() -> store.listEvents(tenant, sid, both)).orElseThrow().items()));

    Page<StoredEvent> p1 = await(() -> store.listEvents(tenant, sid, ListQuery.of(3, false))).orElseThrow();
    assertEquals(List.of(1L, 2L, 3L), seqs(p1.items()));
    Page<StoredEvent> p2 = await(() -> store.listEvents(tenant, sid, after(ListQuery.of(3, false), p1.next()))).orElseThrow();
    assertEquals(List.of(4L, 5L, 6L), seqs(p2.items()));
    Page<StoredEvent> p3 = await(() -> store.listEvents(tenant, sid, after(ListQuery.of(3, false), p2.next()))).orElseThrow();
    assertEquals(List.of(7L), seqs(p3.items()));
    assertNull(p3.next());
    Page<StoredEvent> back = await(() -> store.listEvents(tenant, sid, before(ListQuery.of(3, false), p3.prev()))).orElseThrow();
    assertEquals(List.of(4L, 5L, 6L), seqs(back.items()));
    Page<StoredEvent> desc = await(() -> store.listEvents(tenant, sid, ListQuery.of(2, true))).orElseThrow();
    assertEquals(List.of(7L, 6L), seqs(desc.items()));
    Page<StoredEvent> desc2 = await(() -> store.listEvents(tenant, sid, after(ListQuery.of(2, true), desc.next()))).orElseThrow();
    assertEquals(List.of(5L, 4L), seqs(desc2.items()));

    ListQuery window = range(ListQuery.of(100, false), new TimeRange(T0 + 2, T0 + 4));
    assertEquals(List.of(3L, 4L, 5L), seqs(await(() -> store.listEvents(tenant, sid, window)).orElseThrow().items()));
    assertTrue(await(() -> store.listEvents(tenant, "sesn_missing", ListQuery.of(10, false))).isEmpty());
  }

  @Test
  void documentsAndEventsComeBackExactlyAsStored() throws Exception {
    // Tool output and client text may hold any character JSON can carry, a NUL included, and clients
    // see objects with the keys in the order they were written.
    String sid = sessionId();
    JsonObject odd = new JsonObject().put("zeta", 1).put("id", Ids.next("sevt", T0)).put("type", "agent.tool_result")
        .put("processed_at", Timestamps.format(T0)).put("a", "nul\u0000 tab\t emoji \uD83D\uDE00 quote\" end")
        .put("big", Long.MAX_VALUE).put("ratio", 0.5).put("nested", new JsonObject().put("y", true).put("b", (Object) null));
    JsonObject s = session(sid, "idle", T0).put("metadata", new JsonObject().put("note", "x\u0000y").put("a", "1"));
    await(() -> store.createSession(tenant, s, T0, List.of(odd)));

    StoredEvent back = await(() -> store.eventsAfter(sid, 0, 1)).get(0);
    assertEquals(odd, back.json());
    assertEquals(odd.encode(), back.json().encode(), "same keys in the same order");
    JsonObject sessionBack = await(() -> store.session(tenant, sid)).orElseThrow();
    assertEquals(s.encode(), sessionBack.encode());
    JsonObject agent = agent("agent_odd", "tab\t nul\u0000", T0);
    await(() -> store.createAgent(tenant, agent, T0));
    assertEquals(agent.encode(), await(() -> store.agent(tenant, "agent_odd", null)).orElseThrow().encode());
  }

  @Test
  void eventsAfterAndEventByIdServeStreamResumption() throws Exception {
    String sid = sessionId();
    List<JsonObject> events = IntStream.range(0, 6).mapToObj(i -> event("agent.message", T0 + i)).collect(Collectors.toList());
    await(() -> store.createSession(tenant, session(sid, "idle", T0), T0, events));

    assertEquals(List.of(4L, 5L), seqs(await(() -> store.eventsAfter(sid, 3, 2))));
    assertEquals(List.of(6L), seqs(await(() -> store.eventsAfter(sid, 5, 10))));
    assertTrue(await(() -> store.eventsAfter(sid, 6, 10)).isEmpty());
    assertTrue(await(() -> store.eventsAfter("sesn_missing", 0, 10)).isEmpty());

    String eventId = events.get(2).getString("id");
    StoredEvent found = await(() -> store.event(tenant, sid, eventId)).orElseThrow();
    assertEquals(3L, found.seq());
    assertEquals(events.get(2), found.json());
    String other = sessionId();
    await(() -> store.createSession(tenant, session(other, "idle", T0), T0, List.of()));
    assertTrue(await(() -> store.event(tenant, other, eventId)).isEmpty(), "an event belongs to one session");
    assertTrue(await(() -> store.event(tenant, sid, "sevt_missing")).isEmpty());
  }

  @Test
  void deletingASessionRemovesItsLog() throws Exception {
    String sid = sessionId();
    await(() -> store.createSession(tenant, session(sid, "idle", T0), T0, List.of(event("status.idle", T0))));
    String eventId = await(() -> store.eventsAfter(sid, 0, 1)).get(0).id();

    JsonObject deleted = await(() -> store.deleteSession(tenant, sid)).orElseThrow();
    assertEquals(sid, deleted.getString("id"));
    assertTrue(await(() -> store.session(tenant, sid)).isEmpty());
    assertTrue(await(() -> store.listEvents(tenant, sid, ListQuery.of(10, false))).isEmpty());
    assertTrue(await(() -> store.eventsAfter(sid, 0, 10)).isEmpty());
    assertTrue(await(() -> store.event(tenant, sid, eventId)).isEmpty());
    assertTrue(await(() -> store.deleteSession(tenant, sid)).isEmpty());
    assertTrue(await(() -> store.commit(tenant, sid, s -> new SessionChange(s, List.of(event("user.message", T0))))).isEmpty());
  }

  @Test
  void sessionsAreListedWithFiltersAndPaging() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String sid = sessionId();
      ids.add(sid);
      JsonObject s = session(sid, i < 2 ? "running" : "idle", T0 + i);
      if (i == 4) {
        s.put("agent", new JsonObject().put("id", "agent_other").put("version", 2));
      }
      await(() -> store.createSession(tenant, s, T0 + ids.size() - 1, List.of()));
    }
    await(() -> store.commit(tenant, ids.get(3), s -> new SessionChange(s.put("archived_at", Timestamps.format(T0 + 9)),
        List.of())));

    assertEquals(List.of(ids.get(0), ids.get(1), ids.get(2), ids.get(4)),
        ids(await(() -> store.listSessions(tenant, ListQuery.of(10, false)))));
    assertEquals(ids, ids(await(() -> store.listSessions(tenant, withArchived(ListQuery.of(10, false))))));
    ListQuery running = new ListQuery(10, false, null, null, false, TimeRange.ALL, null, null, List.of("running"), List.of());
    assertEquals(ids.subList(0, 2), ids(await(() -> store.listSessions(tenant, running))));
    ListQuery byAgent = new ListQuery(10, true, null, null, true, TimeRange.ALL, "agent_other", null, List.of(), List.of());
    assertEquals(List.of(ids.get(4)), ids(await(() -> store.listSessions(tenant, byAgent))));
    ListQuery byVersion = new ListQuery(10, false, null, null, true, TimeRange.ALL, "agent_main", 1L, List.of(), List.of());
    assertEquals(ids.subList(0, 4), ids(await(() -> store.listSessions(tenant, byVersion))));

    Page<JsonObject> p1 = await(() -> store.listSessions(tenant, withArchived(ListQuery.of(2, true))));
    assertEquals(List.of(ids.get(4), ids.get(3)), ids(p1));
    Page<JsonObject> p2 = await(() -> store.listSessions(tenant, after(withArchived(ListQuery.of(2, true)), p1.next())));
    assertEquals(List.of(ids.get(2), ids.get(1)), ids(p2));
    Page<JsonObject> back = await(() -> store.listSessions(tenant, before(withArchived(ListQuery.of(2, true)), p2.prev())));
    assertEquals(ids(p1), ids(back));
    ListQuery ranged = range(withArchived(ListQuery.of(10, false)), new TimeRange(T0 + 1, T0 + 2));
    assertEquals(ids.subList(1, 3), ids(await(() -> store.listSessions(tenant, ranged))));
  }

  @Test
  void sessionsWithStatusFindsRunnersAcrossTenants() throws Exception {
    String mine = sessionId();
    String theirs = sessionId();
    String idle = sessionId();
    String otherTenant = "tenant-" + UUID.randomUUID();
    String status = "status-" + UUID.randomUUID();
    await(() -> store.createSession(tenant, session(mine, status, T0), T0, List.of()));
    await(() -> store.createSession(otherTenant, session(theirs, "idle", T0), T0, List.of()));
    await(() -> store.createSession(tenant, session(idle, "idle", T0), T0, List.of()));
    await(() -> store.commit(otherTenant, theirs, s -> new SessionChange(s.put("status", status), List.of())));

    Set<SessionKey> found = Set.copyOf(await(() -> store.sessionsWithStatus(Set.of(status, "status-unused"))));
    assertEquals(Set.of(new SessionKey(tenant, mine), new SessionKey(otherTenant, theirs)), found);
    assertTrue(await(() -> store.sessionsWithStatus(Set.of())).isEmpty());
  }

  @Test
  void anotherTenantSeesAndChangesNothing() throws Exception {
    String sid = sessionId();
    await(() -> store.createAgent(tenant, agent("agent_private", "mine", T0), T0));
    await(() -> store.createDocument("environment", tenant, new JsonObject().put("id", "env_private")
        .put("created_at", Timestamps.format(T0)), T0));
    await(() -> store.createSession(tenant, session(sid, "idle", T0), T0, List.of(event("status.idle", T0))));
    String eventId = await(() -> store.eventsAfter(sid, 0, 1)).get(0).id();
    String other = "tenant-" + UUID.randomUUID();
    AtomicBoolean changeRan = new AtomicBoolean();

    assertTrue(await(() -> store.agent(other, "agent_private", null)).isEmpty());
    assertTrue(await(() -> store.agent(other, "agent_private", 1L)).isEmpty());
    assertTrue(await(() -> store.listAgents(other, withArchived(ListQuery.of(10, false)))).items().isEmpty());
    assertTrue(await(() -> store.listAgentVersions(other, "agent_private", ListQuery.of(10, false))).isEmpty());
    assertTrue(await(() -> store.updateAgent(other, "agent_private", a -> {
      changeRan.set(true);
      return a.put("name", "stolen");
    })).isEmpty());
    assertTrue(await(() -> store.archiveAgent(other, "agent_private", T0, Timestamps.format(T0))).isEmpty());

    assertTrue(await(() -> store.document("environment", other, "env_private")).isEmpty());
    assertTrue(await(() -> store.listDocuments("environment", other, withArchived(ListQuery.of(10, false)))).items().isEmpty());
    assertTrue(await(() -> store.updateDocument("environment", other, "env_private", d -> {
      changeRan.set(true);
      return d.put("name", "stolen");
    })).isEmpty());
    assertFalse(await(() -> store.deleteDocument("environment", other, "env_private")));

    assertTrue(await(() -> store.session(other, sid)).isEmpty());
    assertTrue(await(() -> store.listSessions(other, withArchived(ListQuery.of(10, false)))).items().isEmpty());
    assertTrue(await(() -> store.listEvents(other, sid, ListQuery.of(10, false))).isEmpty());
    assertTrue(await(() -> store.event(other, sid, eventId)).isEmpty());
    assertTrue(await(() -> store.commit(other, sid, s -> {
      changeRan.set(true);
      return new SessionChange(s.put("status", "terminated"), List.of(event("user.message", T0)));
    })).isEmpty());
    assertTrue(await(() -> store.deleteSession(other, sid)).isEmpty());
    assertFalse(changeRan.get(), "no change function runs on another tenant's row");

    assertEquals("mine", await(() -> store.agent(tenant, "agent_private", null)).orElseThrow().getString("name"));
    assertNull(await(() -> store.agent(tenant, "agent_private", null)).orElseThrow().getString("archived_at"));
    assertTrue(await(() -> store.document("environment", tenant, "env_private")).isPresent());
    assertEquals("idle", await(() -> store.session(tenant, sid)).orElseThrow().getString("status"));
    assertEquals(List.of(1L), seqs(await(() -> store.eventsAfter(sid, 0, 10))));
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /**
   * Calls the store from the test's event-loop context, checks the result arrives on that context,
   * and waits for it.
   */
  protected <T> T await(Supplier<Future<T>> call) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      Future<T> f;
      try {
        f = call.get();
      } catch (Throwable e) {
        result.completeExceptionally(e);
        return;
      }
      f.onComplete(ar -> {
        if (Vertx.currentContext() != context) {
          result.completeExceptionally(new AssertionError("completed off the caller's context"));
        } else if (ar.succeeded()) {
          result.complete(ar.result());
        } else {
          result.completeExceptionally(ar.cause());
        }
      });
    });
    return result.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private List<StoredEvent> heardFor(String sessionId) {
    List<StoredEvent> events = heard.getOrDefault(sessionId, List.of());
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  private static JsonObject agent(String id, String name, long createdAt) {
    return new JsonObject().put("type", "agent").put("id", id).put("version", 1).put("name", name)
        .put("model", new JsonObject().put("id", "claude-sonnet-4-5")).put("tools", new io.vertx.core.json.JsonArray())
        .put("created_at", Timestamps.format(createdAt)).put("updated_at", Timestamps.format(createdAt)).putNull("archived_at");
  }

  private static JsonObject session(String id, String status, long createdAt) {
    return new JsonObject().put("type", "session").put("id", id).put("status", status)
        .put("agent", new JsonObject().put("id", "agent_main").put("version", 1).put("name", "main"))
        .put("created_at", Timestamps.format(createdAt)).putNull("archived_at");
  }

  private static JsonObject event(String type, long processedAt) {
    return new JsonObject().put("id", Ids.next("sevt", processedAt)).put("type", type)
        .put("processed_at", Timestamps.format(processedAt))
        .put("content", new io.vertx.core.json.JsonArray().add(new JsonObject().put("type", "text").put("text", "hi")));
  }

  private static String sessionId() {
    return Ids.next("sesn", System.currentTimeMillis());
  }

  private static List<String> ids(Page<JsonObject> page) {
    return page.items().stream().map(d -> d.getString("id")).collect(Collectors.toList());
  }

  private static List<Long> versions(Page<JsonObject> page) {
    return page.items().stream().map(d -> d.getLong("version")).collect(Collectors.toList());
  }

  private static List<Long> seqs(List<StoredEvent> events) {
    return events.stream().map(StoredEvent::seq).collect(Collectors.toList());
  }

  private static ListQuery after(ListQuery q, PageKey key) {
    assertNotNull(key, "a cursor to page from");
    return new ListQuery(q.limit(), q.descending(), key, null, q.includeArchived(), q.range(), q.agentId(),
        q.agentVersion(), q.statuses(), q.types());
  }

  private static ListQuery before(ListQuery q, PageKey key) {
    assertNotNull(key, "a cursor to page from");
    return new ListQuery(q.limit(), q.descending(), null, key, q.includeArchived(), q.range(), q.agentId(),
        q.agentVersion(), q.statuses(), q.types());
  }

  private static ListQuery withArchived(ListQuery q) {
    return new ListQuery(q.limit(), q.descending(), q.after(), q.before(), true, q.range(), q.agentId(),
        q.agentVersion(), q.statuses(), q.types());
  }

  private static ListQuery range(ListQuery q, TimeRange range) {
    return new ListQuery(q.limit(), q.descending(), q.after(), q.before(), q.includeArchived(), range, q.agentId(),
        q.agentVersion(), q.statuses(), q.types());
  }

  private static ListQuery types(ListQuery q, List<String> types) {
    return new ListQuery(q.limit(), q.descending(), q.after(), q.before(), q.includeArchived(), q.range(), q.agentId(),
        q.agentVersion(), q.statuses(), types);
  }

  /** 1..n as boxed longs, for comparing sequences. */
  private static final class LongStreamRange {
    static List<Long> closed(long from, long to) {
      return java.util.stream.LongStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
    }
  }
}
