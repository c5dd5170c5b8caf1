package dev.junction.store.postgres;

import dev.junction.store.CommitListener;
import dev.junction.store.ListQuery;
import dev.junction.store.Page;
import dev.junction.store.PageKey;
import dev.junction.store.SessionChange;
import dev.junction.store.SessionCommit;
import dev.junction.store.SessionKey;
import dev.junction.store.SessionLeases;
import dev.junction.store.Store;
import dev.junction.store.StoredEvent;
import dev.junction.store.Timestamps;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The PostgreSQL {@link Store}. Same contract as the embedded store: a session's row and its new
 * events commit in one transaction, sequences have no gaps, change functions run inside the
 * transaction on the locked row and abort it by throwing, listeners hear of batches after commit in
 * sequence order (for writes made through this node), and futures complete on the caller's context.
 */
public final class PgStore implements Store {
  private static final Logger LOG = LoggerFactory.getLogger(PgStore.class);
  private static final String AGENT_HEAD = "SELECT a.latest_version, a.archived_at, v.doc FROM agents a"
      + " JOIN agent_versions v ON v.agent_id = a.id AND v.version = a.latest_version WHERE a.id = $1 AND a.tenant = $2";
  private static final String INSERT_EVENT =
      "INSERT INTO events (session_id, seq, id, type, processed_at, doc) VALUES ($1, $2, $3, $4, $5, $6)";
  private static final String EVENT_COLUMNS = "SELECT seq, id, type, processed_at, doc FROM events";

  private static final String NOTIFY = "SELECT pg_notify('" + PgNotifications.CHANNEL + "', $1)";

  private final Pool pool;
  private final String node;
  private final PgLeases leases;
  private final PgNotifications notes;
  private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
  private final SessionLanes lanes = new SessionLanes();
  /** Orders the delivery of other nodes' commits per session. */
  private final SessionLanes remoteLanes = new SessionLanes();

  /**
   * @param vertx    the instance whose event loops run the connections
   * @param connect  where the database is
   * @param poolSize connections; each pipelines many statements, so a few are enough
   */
  public PgStore(Vertx vertx, PgConnectOptions connect, int poolSize) {
    this(vertx, connect, poolSize, newNodeId());
  }

  /** @param node this node's name in leases and notifications; unique among the nodes sharing the database */
  public PgStore(Vertx vertx, PgConnectOptions connect, int poolSize, String node) {
    // Connections spread over every event loop: with the default (0) each connection stays on the loop
    // that first asked for it, and a burst at start (migrations, then the first requests) put them all
    // on one, so one core decoded every row and encoded every statement of the node.
    int loops = 0;
    for (io.netty.util.concurrent.EventExecutor ignored : ((io.vertx.core.internal.VertxInternal) vertx).nettyEventLoopGroup()) {
      loops++;
    }
    this.pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(poolSize).setName("junction-pg").setShared(false).setEventLoopSize(Math.max(1, loops)))
        .connectingTo(connect)
        .using(vertx)
        .build();
    this.node = node;
    this.leases = new PgLeases(pool, node);
    this.notes = new PgNotifications(vertx, connect, node, this::remote, this::catchUp);
  }

  /** A node name that differs between processes and restarts: host, process id and a random suffix. */
  public static String newNodeId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "node";
    }
    return host + "-" + ProcessHandle.current().pid() + "-" + Long.toHexString(new java.security.SecureRandom().nextInt() & 0xffffL);
  }

  @Override
  public SessionLeases leases() {
    return leases;
  }

  /** @param url a {@code postgresql://user:password@host:port/database} URL */
  public static PgStore fromUrl(Vertx vertx, String url, int poolSize, String node) {
    return new PgStore(vertx, PgConnectOptions.fromUri(url), poolSize, node == null || node.isBlank() ? newNodeId() : node);
  }

  @Override
  public void onCommit(CommitListener listener) {
    listeners.add(listener);
  }

  @Override
  public Future<Void> start() {
    return onCaller(() -> PgSchema.migrate(pool).onSuccess(v -> LOG.info("PostgreSQL store at schema version {}, node {}", v, node))
        .compose(v -> notes.start()));
  }

  @Override
  public Future<Void> close() {
    // Every acknowledged write has committed already; closing only releases connections. When the
    // Vert.x instance closed first it closed the pool with it, and the pool's future belongs to a
    // context that can no longer run listeners: there is nothing left to wait for then.
    Promise<Void> closed = Promise.promise();
    try {
      notes.close().transform(x -> pool.close()).onComplete(ar -> closed.tryComplete());
    } catch (RuntimeException e) {
      LOG.debug("PostgreSQL pool already closed with its Vert.x instance", e);
      closed.tryComplete();
    }
    return onCaller(closed::future);
  }

  // ---------------------------------------------------------------------------------------------
  // Agents

  private record AgentHead(long latest, Long archivedAt, JsonObject latestDoc) {
    static AgentHead of(Row r) {
      return new AgentHead(r.getLong(0), r.getLong(1), r.getJsonObject(2));
    }
  }

  @Override
  public Future<JsonObject> createAgent(String tenant, JsonObject agent, long createdAtMillis) {
    String id = agent.getString("id");
    return onCaller(() -> pool.withTransaction(c -> c.preparedQuery(
            "INSERT INTO agents (id, tenant, latest_version, created_at) VALUES ($1, $2, 1, $3)")
        .execute(Tuple.of(id, tenant, createdAtMillis))
        .compose(x -> insertAgentVersion(c, id, 1, agent))
        .map(x -> agent)));
  }

  @Override
  public Future<Optional<JsonObject>> updateAgent(String tenant, String id, UnaryOperator<JsonObject> change) {
    return onCaller(() -> pool.withTransaction(c -> lockAgent(c, tenant, id).compose(head -> {
      if (head == null) {
        return Future.succeededFuture(Optional.<JsonObject>empty());
      }
      JsonObject latest = withArchived(head.latestDoc, head.archivedAt);
      JsonObject next = change.apply(latest.copy());
      if (next == null || next.equals(latest)) {
        return Future.succeededFuture(Optional.of(latest));
      }
      long version = head.latest + 1;
      next.put("version", version).putNull("archived_at");
      return insertAgentVersion(c, id, version, next)
          .compose(x -> c.preparedQuery("UPDATE agents SET latest_version = $1 WHERE id = $2").execute(Tuple.of(version, id)))
          .map(x -> Optional.of(next));
    })));
  }

  @Override
  public Future<Optional<JsonObject>> archiveAgent(String tenant, String id, long archivedAtMillis, String archivedAt) {
    return onCaller(() -> pool.withTransaction(c -> lockAgent(c, tenant, id).compose(head -> {
      if (head == null) {
        return Future.succeededFuture(Optional.<JsonObject>empty());
      }
      if (head.archivedAt != null) {
        return Future.succeededFuture(Optional.of(withArchived(head.latestDoc, head.archivedAt)));
      }
      return c.preparedQuery("UPDATE agents SET archived_at = $1 WHERE id = $2").execute(Tuple.of(archivedAtMillis, id))
          .map(x -> Optional.of(withArchived(head.latestDoc, archivedAtMillis)));
    })));
  }

  @Override
  public Future<Optional<JsonObject>> agent(String tenant, String id, Long version) {
    return onCaller(() -> pool.preparedQuery("SELECT a.archived_at, v.doc FROM agents a JOIN agent_versions v"
            + " ON v.agent_id = a.id AND v.version = coalesce($3, a.latest_version) WHERE a.id = $1 AND a.tenant = $2")
        .execute(Tuple.of(id, tenant, version))
        .map(rows -> first(rows).map(r -> withArchived(r.getJsonObject(1), r.getLong(0)))));
  }

  @Override
  public Future<Page<JsonObject>> listAgents(String tenant, ListQuery q) {
    PgQuery query = new PgQuery("SELECT a.archived_at, v.doc FROM agents a"
        + " JOIN agent_versions v ON v.agent_id = a.id AND v.version = a.latest_version WHERE a.tenant = ")
        .param(tenant).sql(" AND a.created_at BETWEEN ").param(q.range().fromMillis()).sql(" AND ").param(q.range().toMillis());
    if (!q.includeArchived()) {
      query.sql(" AND a.archived_at IS NULL");
    }
    return onCaller(() -> PgKeyset.page(pool, query, "a.created_at", "a.id", q,
        r -> withArchived(r.getJsonObject(1), r.getLong(0)), PgStore::createdKey));
  }

  @Override
  public Future<Optional<Page<JsonObject>>> listAgentVersions(String tenant, String id, ListQuery q) {
    return onCaller(() -> pool.preparedQuery("SELECT archived_at FROM agents WHERE id = $1 AND tenant = $2")
        .execute(Tuple.of(id, tenant))
        .compose(rows -> {
          Optional<Row> head = first(rows);
          if (head.isEmpty()) {
            return Future.succeededFuture(Optional.<Page<JsonObject>>empty());
          }
          Long archivedAt = head.get().getLong(0);
          PgQuery query = new PgQuery("SELECT doc FROM agent_versions WHERE agent_id = ").param(id);
          return PgKeyset.page(pool, query, "version", null, q, r -> withArchived(r.getJsonObject(0), archivedAt),
              doc -> new PageKey(doc.getLong("version"), "")).map(Optional::of);
        }));
  }

  private static Future<AgentHead> lockAgent(SqlConnection c, String tenant, String id) {
    return c.preparedQuery(AGENT_HEAD + " FOR UPDATE OF a").execute(Tuple.of(id, tenant))
        .map(rows -> first(rows).map(AgentHead::of).orElse(null));
  }

  private static Future<RowSet<Row>> insertAgentVersion(SqlConnection c, String id, long version, JsonObject doc) {
    return c.preparedQuery("INSERT INTO agent_versions (agent_id, version, doc) VALUES ($1, $2, $3)")
        .execute(Tuple.of(id, version, doc));
  }

  private static JsonObject withArchived(JsonObject doc, Long archivedAt) {
    return doc.put("archived_at", archivedAt == null ? null : Timestamps.format(archivedAt));
  }

  // ---------------------------------------------------------------------------------------------
  // Documents

  @Override
  public Future<JsonObject> createDocument(String kind, String tenant, JsonObject doc, long createdAtMillis) {
    return onCaller(() -> pool.preparedQuery(
            "INSERT INTO documents (id, kind, tenant, created_at, archived_at, doc) VALUES ($1, $2, $3, $4, $5, $6)")
        .execute(Tuple.of(doc.getString("id"), kind, tenant, createdAtMillis, archivedMillis(doc), doc))
        .map(x -> doc));
  }

  @Override
  public Future<Optional<JsonObject>> updateDocument(String kind, String tenant, String id, UnaryOperator<JsonObject> change) {
    return onCaller(() -> pool.withTransaction(c -> c.preparedQuery(
            "SELECT doc FROM documents WHERE id = $1 AND kind = $2 AND tenant = $3 FOR UPDATE")
        .execute(Tuple.of(id, kind, tenant))
        .compose(rows -> {
          Optional<Row> row = first(rows);
          if (row.isEmpty()) {
            return Future.succeededFuture(Optional.<JsonObject>empty());
          }
          JsonObject current = row.get().getJsonObject(0);
          JsonObject next = change.apply(current.copy());
          if (next.equals(current)) {
            return Future.succeededFuture(Optional.of(current));
          }
          return c.preparedQuery("UPDATE documents SET doc = $1, archived_at = $2 WHERE id = $3")
              .execute(Tuple.of(next, archivedMillis(next), id))
              .map(x -> Optional.of(next));
        })));
  }

  @Override
  public Future<Optional<JsonObject>> document(String kind, String tenant, String id) {
    return onCaller(() -> pool.preparedQuery("SELECT doc FROM documents WHERE id = $1 AND kind = $2 AND tenant = $3")
        .execute(Tuple.of(id, kind, tenant))
        .map(rows -> first(rows).map(r -> r.getJsonObject(0))));
  }

  @Override
  public Future<Page<JsonObject>> listDocuments(String kind, String tenant, ListQuery q) {
    PgQuery query = new PgQuery("SELECT doc FROM documents WHERE tenant = ").param(tenant).sql(" AND kind = ").param(kind)
        .sql(" AND created_at BETWEEN ").param(q.range().fromMillis()).sql(" AND ").param(q.range().toMillis())
        .sql(q.includeArchived() ? "" : " AND archived_at IS NULL");
    return onCaller(() -> PgKeyset.page(pool, query, "created_at", "id", q, r -> r.getJsonObject(0), PgStore::createdKey));
  }

  @Override
  public Future<Boolean> deleteDocument(String kind, String tenant, String id) {
    return onCaller(() -> pool.preparedQuery("DELETE FROM documents WHERE id = $1 AND kind = $2 AND tenant = $3")
        .execute(Tuple.of(id, kind, tenant))
        .map(rows -> rows.rowCount() == 1));
  }

  private static Long archivedMillis(JsonObject doc) {
    String archived = doc.getString("archived_at");
    return archived == null ? null : Timestamps.parse(archived);
  }

  // ---------------------------------------------------------------------------------------------
  // Sessions and events

  @Override
  public Future<SessionCommit> createSession(String tenant, JsonObject session, long createdAtMillis, List<JsonObject> events) {
    String id = session.getString("id");
    JsonObject agent = session.getJsonObject("agent");
    List<StoredEvent> stored = sequence(id, 0, events, null);
    Tuple row = Tuple.of(id, tenant, agent.getString("id"), agent.getLong("version"), session.getString("status"),
        createdAtMillis).addValue(archivedMillis(session)).addValue((long) events.size()).addValue(session);
    // The server runs pipelined statements in order, so the events follow the row they reference.
    return onCaller(() -> lanes.run(id, () -> pool.withTransaction(c -> Future.all(c.preparedQuery(
                "INSERT INTO sessions (id, tenant, agent_id, agent_version, status, created_at, archived_at, last_seq, doc)"
                    + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)").execute(row), insertEvents(c, stored),
            notify(c, tenant, id, stored)))
        .map(x -> publish(tenant, id, new SessionCommit(session, stored)))));
  }

  @Override
  public Future<Optional<SessionCommit>> commit(String tenant, String sessionId, Function<JsonObject, SessionChange> change) {
    // Two round trips: BEGIN and the locking read go out together; then the writes and COMMIT.
    return onCaller(() -> lanes.run(sessionId, () -> pool.withConnection(c -> {
      Future<RowSet<Row>> begun = c.query("BEGIN").execute();
      Future<RowSet<Row>> locked = c.preparedQuery("SELECT last_seq, doc FROM sessions WHERE id = $1 AND tenant = $2 FOR UPDATE")
          .execute(Tuple.of(sessionId, tenant));
      return Future.join(begun, locked).transform(read -> {
        if (read.failed()) {
          return rollback(c, read.cause());
        }
        Optional<Row> row = first(locked.result());
        if (row.isEmpty()) {
          return c.query("ROLLBACK").execute().map(x -> Optional.<SessionCommit>empty());
        }
        long lastSeq = row.get().getLong(0);
        JsonObject before = row.get().getJsonObject(1);
        SessionChange decided;
        try {
          decided = change.apply(shallow(before));
        } catch (RuntimeException e) {
          return rollback(c, e);
        }
        return append(c, tenant, sessionId, lastSeq, before, decided).map(Optional::of);
      });
    }).map(result -> result.map(done -> publish(tenant, sessionId, done)))));
  }

  /** Ends the open transaction and fails with the cause. */
  private static <T> Future<T> rollback(SqlConnection c, Throwable cause) {
    return c.query("ROLLBACK").execute().transform(x -> Future.failedFuture(cause));
  }

  /** Appends the decided events after {@code lastSeq} and rewrites the row when anything changed. */
  private Future<SessionCommit> append(SqlConnection c, String tenant, String sessionId, long lastSeq, JsonObject before,
                                       SessionChange decided) {
    JsonObject after = decided.session();
    List<StoredEvent> stored = sequence(sessionId, lastSeq, decided.events(), decided.texts());
    SessionCommit done = new SessionCommit(after, stored);
    // With events the row is rewritten anyway (last_seq); without, only a real change is written.
    if (stored.isEmpty() && (after == before || after.equals(before))) {
      return c.query("COMMIT").execute().map(x -> done);
    }
    // The statements and COMMIT go out at once, pipelined on the connection. If one fails, the
    // transaction is aborted, PostgreSQL answers the COMMIT with a rollback, and nothing is kept. A
    // runner's write first checks, under a share lock that makes a takeover wait for this
    // transaction, that its node still holds the session's lease.
    Future<RowSet<Row>> fenced = decided.leaseHolder() == null ? Future.succeededFuture()
        : c.preparedQuery("SELECT junction_fence($1, $2)").execute(Tuple.of(sessionId, decided.leaseHolder()));
    Future<Void> inserted = insertEvents(c, stored);
    Future<RowSet<Row>> updated = c.preparedQuery(
            "UPDATE sessions SET status = $1, archived_at = $2, last_seq = $3, doc = $4 WHERE id = $5")
        .execute(Tuple.of(after.getString("status"), archivedMillis(after), lastSeq + stored.size(), after, sessionId));
    Future<Void> notified = notify(c, tenant, sessionId, stored);
    Future<RowSet<Row>> committed = c.query("COMMIT").execute();
    List<Future<?>> all = List.of(fenced, inserted, updated, notified, committed);
    return Future.join(all).transform(ar -> {
      for (Future<?> f : all) {
        if (f.failed()) {
          Throwable cause = f.cause();
          if (cause instanceof io.vertx.pgclient.PgException pg && PgSchema.FENCE_SQLSTATE.equals(pg.getSqlState())) {
            cause = new dev.junction.store.LeaseLostException(sessionId, decided.leaseHolder());
          }
          return Future.failedFuture(cause);
        }
      }
      return Future.succeededFuture(done);
    });
  }

  /** Tells the other nodes, when this transaction commits, which events it appended. */
  private Future<Void> notify(SqlConnection c, String tenant, String sessionId, List<StoredEvent> stored) {
    if (stored.isEmpty()) {
      return Future.succeededFuture();
    }
    String payload = PgNotifications.payload(node, tenant, sessionId, stored.get(0).seq(), stored.get(stored.size() - 1).seq());
    return c.preparedQuery(NOTIFY).execute(Tuple.of(payload)).mapEmpty();
  }

  /** @param texts the events encoded by the caller, or null */
  private static List<StoredEvent> sequence(String sessionId, long lastSeq, List<JsonObject> events, List<String> texts) {
    List<StoredEvent> out = new ArrayList<>(events.size());
    long seq = lastSeq;
    for (int i = 0; i < events.size(); i++) {
      JsonObject e = events.get(i);
      String processed = e.getString("processed_at");
      out.add(new StoredEvent(sessionId, ++seq, e.getString("id"), e.getString("type"),
          processed == null ? 0 : Timestamps.parse(processed), e, texts == null ? null : texts.get(i)));
    }
    return List.copyOf(out);
  }

  private static Future<Void> insertEvents(SqlConnection c, List<StoredEvent> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> batch = new ArrayList<>(events.size());
    for (StoredEvent e : events) {
      batch.add(Tuple.of(e.sessionId(), e.seq(), e.id(), e.type(), e.processedAt(), e.json()));
    }
    return c.preparedQuery(INSERT_EVENT).executeBatch(batch).mapEmpty();
  }

  /** Runs after commit and before the session's lane lets the next write start, hence in sequence order. */
  private SessionCommit publish(String tenant, String sessionId, SessionCommit done) {
    if (!done.events().isEmpty()) {
      for (CommitListener l : listeners) {
        try {
          l.committed(tenant, sessionId, done.events());
        } catch (RuntimeException e) {
          LOG.error("commit listener failed", e);
        }
      }
    }
    return done;
  }

  // ---------------------------------------------------------------------------------------------
  // Other nodes' writes

  /** Another node committed events to, or deleted, a session: read what it wrote from the log. */
  private void remote(PgNotifications.Note note) {
    String sessionId = note.sessionId();
    if (note.deleted()) {
      notes.forget(sessionId);
      for (CommitListener l : listeners) {
        try {
          l.deletedElsewhere(note.tenant(), sessionId);
        } catch (RuntimeException e) {
          LOG.error("commit listener failed", e);
        }
      }
      return;
    }
    if (!wanted(sessionId)) {
      return;
    }
    remoteLanes.run(sessionId, () -> {
      PgNotifications.Followed f = notes.following(sessionId);
      if (f != null && f.lastSeq() >= note.last()) {
        return Future.succeededFuture();
      }
      // Normally the notified range; from the last event read from another node when one of their
      // notifications was missed (events this node wrote itself in between come again, and listeners
      // skip what they have seen).
      long after = f != null && f.lastSeq() < note.first() - 1 ? f.lastSeq() : note.first() - 1;
      return deliverAfter(note.tenant(), sessionId, after, (int) Math.min(10_000, note.last() - after));
    });
  }

  /** After a reconnect: reads, for every session this node follows, what was committed meanwhile. */
  private void catchUp(java.util.Map<String, PgNotifications.Followed> followed) {
    followed.forEach((sessionId, f) -> {
      if (wanted(sessionId)) {
        remoteLanes.run(sessionId, () -> {
          PgNotifications.Followed now = notes.following(sessionId);
          return deliverAfter(f.tenant(), sessionId, now == null ? f.lastSeq() : now.lastSeq(), 10_000);
        });
      }
    });
  }

  private Future<Void> deliverAfter(String tenant, String sessionId, long afterSeq, int limit) {
    return eventsAfter(sessionId, afterSeq, limit).map(events -> {
      if (!events.isEmpty()) {
        List<StoredEvent> batch = List.copyOf(events);
        for (CommitListener l : listeners) {
          try {
            if (l.wants(sessionId)) {
              l.committed(tenant, sessionId, batch);
            }
          } catch (RuntimeException e) {
            LOG.error("commit listener failed", e);
          }
        }
        notes.delivered(tenant, sessionId, batch.get(batch.size() - 1).seq());
      }
      return (Void) null;
    }).otherwise(e -> {
      LOG.warn("could not read session {} after a notification; the next one retries: {}", sessionId, e.toString());
      return null;
    });
  }

  private boolean wanted(String sessionId) {
    for (CommitListener l : listeners) {
      if (l.wants(sessionId)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Future<Optional<JsonObject>> session(String tenant, String sessionId) {
    return onCaller(() -> pool.preparedQuery("SELECT doc FROM sessions WHERE id = $1 AND tenant = $2")
        .execute(Tuple.of(sessionId, tenant))
        .map(rows -> first(rows).map(r -> r.getJsonObject(0))));
  }

  @Override
  public Future<Page<JsonObject>> listSessions(String tenant, ListQuery q) {
    PgQuery query = new PgQuery("SELECT doc FROM sessions WHERE tenant = ").param(tenant)
        .sql(" AND created_at BETWEEN ").param(q.range().fromMillis()).sql(" AND ").param(q.range().toMillis());
    if (!q.includeArchived()) {
      query.sql(" AND archived_at IS NULL");
    }
    if (q.agentId() != null) {
      query.sql(" AND agent_id = ").param(q.agentId());
    }
    if (q.agentVersion() != null) {
      query.sql(" AND agent_version = ").param(q.agentVersion());
    }
    if (!q.statuses().isEmpty()) {
      query.sql(" AND status").anyOf(q.statuses());
    }
    return onCaller(() -> PgKeyset.page(pool, query, "created_at", "id", q, r -> r.getJsonObject(0), PgStore::createdKey));
  }

  @Override
  public Future<Optional<JsonObject>> deleteSession(String tenant, String sessionId) {
    // In the session's lane so a delete never overtakes a commit this node already accepted.
    String payload = PgNotifications.payload(node, tenant, sessionId, 0, 0);
    return onCaller(() -> lanes.run(sessionId, () -> pool.withTransaction(c -> c.preparedQuery(
            "DELETE FROM sessions WHERE id = $1 AND tenant = $2 RETURNING doc")
        .execute(Tuple.of(sessionId, tenant))
        .compose(rows -> {
          Optional<JsonObject> deleted = first(rows).map(r -> r.getJsonObject(0));
          return deleted.isEmpty() ? Future.succeededFuture(deleted)
              : c.preparedQuery(NOTIFY).execute(Tuple.of(payload)).map(x -> deleted);
        }))).onSuccess(d -> notes.forget(sessionId)));
  }

  @Override
  public Future<Optional<Page<StoredEvent>>> listEvents(String tenant, String sessionId, ListQuery q) {
    return onCaller(() -> owned(tenant, sessionId).compose(owned -> {
      if (!owned) {
        return Future.succeededFuture(Optional.<Page<StoredEvent>>empty());
      }
      PgQuery query = new PgQuery(EVENT_COLUMNS + " WHERE session_id = ").param(sessionId)
          .sql(" AND processed_at BETWEEN ").param(q.range().fromMillis()).sql(" AND ").param(q.range().toMillis());
      if (!q.types().isEmpty()) {
        query.sql(" AND type").anyOf(q.types());
      }
      return PgKeyset.page(pool, query, "seq", null, q, r -> event(sessionId, r), e -> new PageKey(e.seq(), ""))
          .map(Optional::of);
    }));
  }

  @Override
  public Future<List<StoredEvent>> eventsAfter(String sessionId, long afterSeq, int limit) {
    return onCaller(() -> pool.preparedQuery(EVENT_COLUMNS + " WHERE session_id = $1 AND seq > $2 ORDER BY seq LIMIT $3")
        .execute(Tuple.of(sessionId, afterSeq, limit))
        .map(rows -> {
          List<StoredEvent> out = new ArrayList<>(rows.size());
          for (Row r : rows) {
            out.add(event(sessionId, r));
          }
          return out;
        }));
  }

  @Override
  public Future<List<SessionKey>> sessionsWithStatus(Set<String> statuses) {
    if (statuses.isEmpty()) {
      return Future.succeededFuture(new ArrayList<>());
    }
    PgQuery query = new PgQuery("SELECT tenant, id FROM sessions WHERE status").anyOf(statuses);
    return onCaller(() -> pool.preparedQuery(query.text()).execute(query.tuple()).map(rows -> {
      List<SessionKey> out = new ArrayList<>(rows.size());
      for (Row r : rows) {
        out.add(new SessionKey(r.getString(0), r.getString(1)));
      }
      return out;
    }));
  }

  @Override
  public Future<Optional<StoredEvent>> event(String tenant, String sessionId, String eventId) {
    return onCaller(() -> pool.preparedQuery("SELECT e.seq, e.id, e.type, e.processed_at, e.doc FROM events e"
            + " JOIN sessions s ON s.id = e.session_id WHERE e.id = $1 AND e.session_id = $2 AND s.tenant = $3")
        .execute(Tuple.of(eventId, sessionId, tenant))
        .map(rows -> first(rows).map(r -> event(sessionId, r))));
  }

  private Future<Boolean> owned(String tenant, String sessionId) {
    return pool.preparedQuery("SELECT 1 FROM sessions WHERE id = $1 AND tenant = $2")
        .execute(Tuple.of(sessionId, tenant))
        .map(rows -> rows.size() > 0);
  }

  private static StoredEvent event(String sessionId, Row r) {
    return new StoredEvent(sessionId, r.getLong(0), r.getString(1), r.getString(2), r.getLong(3), r.getJsonObject(4));
  }

  // ---------------------------------------------------------------------------------------------
  // Plumbing

  private static PageKey createdKey(JsonObject doc) {
    return new PageKey(Timestamps.parse(doc.getString("created_at")), doc.getString("id"));
  }

  private static Optional<Row> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
  }

  /** A top-level copy, as the SPI promises change functions (they copy nested objects they change). */
  private static JsonObject shallow(JsonObject doc) {
    return new JsonObject(new LinkedHashMap<>(doc.getMap()));
  }

  /**
   * Starts the work and completes the returned future on the calling context, as the embedded store
   * does: callers keep their single-threaded view whichever connection's event loop answered. A
   * function that throws while building the work fails the future instead of escaping.
   */
  private static <T> Future<T> onCaller(Supplier<Future<T>> work) {
    Context ctx = Vertx.currentContext();
    Future<T> result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    if (ctx == null) {
      return result;
    }
    Promise<T> promise = Promise.promise();
    result.onComplete(ar -> {
      if (Vertx.currentContext() == ctx) {
        promise.handle(ar);
      } else {
        ctx.runOnContext(v -> promise.handle(ar));
      }
    });
    return promise.future();
  }
}
