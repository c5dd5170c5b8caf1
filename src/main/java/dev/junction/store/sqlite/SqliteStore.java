package dev.junction.store.sqlite;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.junction.store.CommitListener;
import dev.junction.store.ListQuery;
import dev.junction.store.Page;
import dev.junction.store.PageKey;
import dev.junction.store.SessionChange;
import dev.junction.store.SessionCommit;
import dev.junction.store.Store;
import dev.junction.store.StoredEvent;
import dev.junction.store.Timestamps;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** The embedded {@link Store}: SQLite in WAL mode, one writer thread with group commit, pooled readers. */
public final class SqliteStore implements Store {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);
  private static final int MAX_BATCH = 512;
  /**
   * Session fields that appends change (status and its bookkeeping, usage, cost, timestamps). They are
   * written to the row's {@code hot} column on every append; the {@code doc} column is rewritten only
   * when another field changed, and a read lays the hot fields over it.
   */
  private static final List<String> HOT = List.of("status", "updated_at", "usage", "stats", "_running_since", "_cost_micro_usd");

  private final Path file;
  private final String synchronous;
  private final BlockingQueue<WriteOp<?>> writes = new ArrayBlockingQueue<>(65_536);
  private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
  private final List<Connection> readConnections = new CopyOnWriteArrayList<>();
  private final ThreadLocal<Connection> readConnection = new ThreadLocal<>();
  private final ExecutorService readers;
  /** Session rows keyed by id; written only by the writer thread after commit, so always committed state. */
  private final Cache<String, SessionRow> sessions = Caffeine.newBuilder().maximumSize(100_000).build();
  /**
   * The latest events of recently written sessions, contiguous up to the session's last sequence, so
   * that a reader catching up (a runner taking over a kept fold, a stream resuming) finds them without
   * a query. Written only by the writer thread after commit, like {@link #sessions}.
   */
  private final Cache<String, Tail> recent = Caffeine.newBuilder().maximumSize(10_000).build();
  /**
   * Events kept per session. A retired runner's fold is caught up with everything pushed to it, so its
   * successor usually needs one or two; a longer tail mostly adds to what every young collection copies.
   */
  private static final int TAIL = 8;
  /** Agent versions are immutable, so a cached version never goes stale. */
  private final Cache<String, JsonObject> agentVersions = Caffeine.newBuilder().maximumSize(50_000).build();
  private volatile Thread writer;
  private volatile WalCheckpointer checkpointer;
  private volatile boolean closing;
  private Connection writeConnection;
  /** The writer connection's statements; the writer thread's alone. */
  private Statements writeStatements;
  private final ThreadLocal<Statements> readStatements = new ThreadLocal<>();
  /** The writer's last {@code processed_at} text and its value: the events of a commit share one. */
  private String lastProcessedText;
  private long lastProcessedMillis;

  private record SessionRow(String tenant, long lastSeq, JsonObject doc) {
  }

  /** Events {@code firstSeq} to {@code firstSeq + events.size() - 1} of one session, in order. */
  private record Tail(long firstSeq, List<StoredEvent> events) {
    long lastSeq() {
      return firstSeq + events.size() - 1;
    }

    Tail plus(List<StoredEvent> added) {
      List<StoredEvent> all = new ArrayList<>(events.size() + added.size());
      if (lastSeq() + 1 == added.get(0).seq()) {
        all.addAll(events);
      }
      all.addAll(added);
      List<StoredEvent> kept = all.subList(Math.max(0, all.size() - TAIL), all.size());
      return new Tail(kept.get(0).seq(), List.copyOf(kept));
    }
  }

  @FunctionalInterface
  private interface WriteFn<T> {
    T apply(Batch batch) throws Exception;
  }

  @FunctionalInterface
  private interface ReadFn<T> {
    T apply(Connection c) throws Exception;
  }

  private record WriteOp<T>(WriteFn<T> fn, Promise<T> promise, Context context) {
  }

  /** State of one group-commit transaction: uncommitted session rows and work to do after commit. */
  private final class Batch {
    final Connection c;
    final Statements statements;
    final Map<String, SessionRow> dirtySessions = new HashMap<>();
    final Map<String, List<StoredEvent>> appended = new HashMap<>();
    final List<Runnable> afterCommit = new ArrayList<>();
    Map<String, SessionRow> opSessions = new HashMap<>();
    List<Runnable> opAfter = new ArrayList<>();
    Map<String, List<StoredEvent>> opAppended = new HashMap<>();

    Batch(Connection c, Statements statements) {
      this.c = c;
      this.statements = statements;
    }

    SessionRow session(String id) throws SQLException {
      if (opSessions.containsKey(id)) {
        return opSessions.get(id);
      }
      if (dirtySessions.containsKey(id)) {
        return dirtySessions.get(id);
      }
      SessionRow row = sessions.getIfPresent(id);
      return row != null ? row : loadSession(c, id);
    }
  }

  public SqliteStore(Path dataDir, String synchronous, int readerThreads) {
    this.file = dataDir.resolve("junction.db");
    this.synchronous = synchronous;
    this.readers = Executors.newFixedThreadPool(readerThreads, r -> {
      Thread t = new Thread(r, "junction-sqlite-reader");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void onCommit(CommitListener listener) {
    listeners.add(listener);
  }

  @Override
  public Future<Void> start() {
    Context ctx = Vertx.currentContext();
    Promise<Void> promise = Promise.promise();
    Thread t = new Thread(() -> {
      try {
        Files.createDirectories(file.getParent());
        writeConnection = open();
        try (Statement s = writeConnection.createStatement()) {
          s.execute("PRAGMA journal_mode=WAL");
          s.execute("PRAGMA synchronous=" + synchronous);
          s.execute("PRAGMA busy_timeout=10000");
          // Checkpoints run on a thread of their own (WalCheckpointer), not inside the writer's commits;
          // a log that grew while readers held it back is cut back to 64 MB once it restarts.
          s.execute("PRAGMA wal_autocheckpoint=0");
          s.execute("PRAGMA journal_size_limit=67108864");
        }
        Schema.migrate(writeConnection);
        writeStatements = new Statements(writeConnection);
        Connection cc = open();
        try (Statement s = cc.createStatement()) {
          s.execute("PRAGMA busy_timeout=10000");
        }
        checkpointer = new WalCheckpointer(cc);
      } catch (Exception e) {
        complete(ctx, promise, null, e);
        return;
      }
      complete(ctx, promise, null, null);
      writeLoop();
    }, "junction-sqlite-writer");
    t.setDaemon(true);
    writer = t;
    t.start();
    return promise.future();
  }

  @Override
  public Future<Void> close() {
    Context ctx = Vertx.currentContext();
    Promise<Void> promise = Promise.promise();
    Thread t = new Thread(() -> {
      closing = true;
      Thread w = writer;
      if (w != null) {
        try {
          w.join(10_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      WalCheckpointer cp = checkpointer;
      if (cp != null) {
        cp.close();
      }
      readers.shutdown();
      try {
        readers.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (Connection c : readConnections) {
        closeQuietly(c);
      }
      complete(ctx, promise, null, null);
    }, "junction-sqlite-close");
    t.start();
    return promise.future();
  }

  // ---------------------------------------------------------------------------------------------
  // Agents

  @Override
  public Future<JsonObject> createAgent(String tenant, JsonObject agent, long createdAtMillis) {
    String json = agent.encode();
    return write(b -> {
      try (PreparedStatement ps = b.c.prepareStatement(
          "INSERT INTO agents (id, tenant, latest_version, created_at) VALUES (?, ?, 1, ?)")) {
        ps.setString(1, agent.getString("id"));
        ps.setString(2, tenant);
        ps.setLong(3, createdAtMillis);
        ps.executeUpdate();
      }
      insertAgentVersion(b.c, agent.getString("id"), 1, json);
      return agent;
    });
  }

  @Override
  public Future<Optional<JsonObject>> updateAgent(String tenant, String id, UnaryOperator<JsonObject> change) {
    return write(b -> {
      AgentHead head = agentHead(b.c, tenant, id);
      if (head == null) {
        return Optional.empty();
      }
      JsonObject latest = withArchived(agentVersion(b.c, id, head.latest), head);
      JsonObject next = change.apply(latest.copy());
      if (next == null || next.equals(latest)) {
        return Optional.of(withArchived(latest, head));
      }
      long version = head.latest + 1;
      next.put("version", version).putNull("archived_at");
      insertAgentVersion(b.c, id, version, next.encode());
      try (PreparedStatement ps = b.c.prepareStatement("UPDATE agents SET latest_version = ? WHERE id = ?")) {
        ps.setLong(1, version);
        ps.setString(2, id);
        ps.executeUpdate();
      }
      return Optional.of(next);
    });
  }

  @Override
  public Future<Optional<JsonObject>> archiveAgent(String tenant, String id, long archivedAtMillis, String archivedAt) {
    return write(b -> {
      AgentHead head = agentHead(b.c, tenant, id);
      if (head == null) {
        return Optional.empty();
      }
      if (head.archivedAt == null) {
        try (PreparedStatement ps = b.c.prepareStatement("UPDATE agents SET archived_at = ? WHERE id = ?")) {
          ps.setLong(1, archivedAtMillis);
          ps.setString(2, id);
          ps.executeUpdate();
        }
        head = new AgentHead(head.latest, archivedAtMillis);
      }
      return Optional.of(withArchived(agentVersion(b.c, id, head.latest), head));
    });
  }

  @Override
  public Future<Optional<JsonObject>> agent(String tenant, String id, Long version) {
    return read(c -> {
      AgentHead head = agentHead(c, tenant, id);
      if (head == null || (version != null && (version < 1 || version > head.latest))) {
        return Optional.empty();
      }
      return Optional.of(withArchived(agentVersion(c, id, version == null ? head.latest : version), head));
    });
  }

  @Override
  public Future<Page<JsonObject>> listAgents(String tenant, ListQuery q) {
    return read(c -> {
      StringBuilder sql = new StringBuilder(
          "SELECT a.id, a.created_at, a.archived_at, a.latest_version, v.doc FROM agents a"
              + " JOIN agent_versions v ON v.agent_id = a.id AND v.version = a.latest_version"
              + " WHERE a.tenant = ? AND a.created_at BETWEEN ? AND ?");
      if (!q.includeArchived()) {
        sql.append(" AND a.archived_at IS NULL");
      }
      List<Object> params = List.of(tenant, q.range().fromMillis(), q.range().toMillis());
      return Keyset.page(c, sql.toString(), params, "a.created_at", "a.id", q,
          rs -> withArchived(new JsonObject(rs.getString(5)), new AgentHead(rs.getLong(4), nullableLong(rs, 3))),
          doc -> new PageKey(Timestamps.parse(doc.getString("created_at")), doc.getString("id")));
    });
  }

  @Override
  public Future<Optional<Page<JsonObject>>> listAgentVersions(String tenant, String id, ListQuery q) {
    return read(c -> {
      AgentHead head = agentHead(c, tenant, id);
      if (head == null) {
        return Optional.empty();
      }
      Page<JsonObject> page = Keyset.page(c, "SELECT version, doc FROM agent_versions WHERE agent_id = ?",
          List.of(id), "version", "''", q,
          rs -> withArchived(new JsonObject(rs.getString(2)), head),
          doc -> new PageKey(doc.getLong("version"), ""));
      return Optional.of(page);
    });
  }

  private record AgentHead(long latest, Long archivedAt) {
  }

  private static AgentHead agentHead(Connection c, String tenant, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT latest_version, archived_at FROM agents WHERE id = ? AND tenant = ?")) {
      ps.setString(1, id);
      ps.setString(2, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new AgentHead(rs.getLong(1), nullableLong(rs, 2)) : null;
      }
    }
  }

  private JsonObject agentVersion(Connection c, String id, long version) throws SQLException {
    String key = id + "@" + version;
    JsonObject cached = agentVersions.getIfPresent(key);
    if (cached != null) {
      return cached.copy();
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT doc FROM agent_versions WHERE agent_id = ? AND version = ?")) {
      ps.setString(1, id);
      ps.setLong(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("agent " + id + " has no version " + version);
        }
        JsonObject doc = new JsonObject(rs.getString(1));
        agentVersions.put(key, doc);
        return doc.copy();
      }
    }
  }

  private static void insertAgentVersion(Connection c, String id, long version, String json) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_versions (agent_id, version, doc) VALUES (?, ?, ?)")) {
      ps.setString(1, id);
      ps.setLong(2, version);
      ps.setString(3, json);
      ps.executeUpdate();
    }
  }

  private static JsonObject withArchived(JsonObject doc, AgentHead head) {
    return doc.put("archived_at", head.archivedAt == null ? null : Timestamps.format(head.archivedAt));
  }

  // ---------------------------------------------------------------------------------------------
  // Documents

  @Override
  public Future<JsonObject> createDocument(String kind, String tenant, JsonObject doc, long createdAtMillis) {
    String json = doc.encode();
    return write(b -> {
      try (PreparedStatement ps = b.c.prepareStatement(
          "INSERT INTO documents (id, kind, tenant, created_at, archived_at, doc) VALUES (?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, doc.getString("id"));
        ps.setString(2, kind);
        ps.setString(3, tenant);
        ps.setLong(4, createdAtMillis);
        ps.setObject(5, archivedMillis(doc));
        ps.setString(6, json);
        ps.executeUpdate();
      }
      return doc;
    });
  }

  @Override
  public Future<Optional<JsonObject>> updateDocument(String kind, String tenant, String id, UnaryOperator<JsonObject> change) {
    return write(b -> {
      JsonObject current = document(b.c, kind, tenant, id);
      if (current == null) {
        return Optional.empty();
      }
      JsonObject next = change.apply(current.copy());
      if (next.equals(current)) {
        return Optional.of(current);
      }
      try (PreparedStatement ps = b.c.prepareStatement("UPDATE documents SET doc = ?, archived_at = ? WHERE id = ?")) {
        ps.setString(1, next.encode());
        ps.setObject(2, archivedMillis(next));
        ps.setString(3, id);
        ps.executeUpdate();
      }
      return Optional.of(next);
    });
  }

  @Override
  public Future<Optional<JsonObject>> document(String kind, String tenant, String id) {
    return read(c -> Optional.ofNullable(document(c, kind, tenant, id)));
  }

  @Override
  public Future<Page<JsonObject>> listDocuments(String kind, String tenant, ListQuery q) {
    return read(c -> {
      String sql = "SELECT id, created_at, doc FROM documents WHERE tenant = ? AND kind = ? AND created_at BETWEEN ? AND ?"
          + (q.includeArchived() ? "" : " AND archived_at IS NULL");
      return Keyset.page(c, sql, List.of(tenant, kind, q.range().fromMillis(), q.range().toMillis()),
          "created_at", "id", q, rs -> new JsonObject(rs.getString(3)),
          doc -> new PageKey(Timestamps.parse(doc.getString("created_at")), doc.getString("id")));
    });
  }

  @Override
  public Future<Boolean> deleteDocument(String kind, String tenant, String id) {
    return write(b -> {
      try (PreparedStatement ps = b.c.prepareStatement("DELETE FROM documents WHERE id = ? AND kind = ? AND tenant = ?")) {
        ps.setString(1, id);
        ps.setString(2, kind);
        ps.setString(3, tenant);
        return ps.executeUpdate() == 1;
      }
    });
  }

  private static JsonObject document(Connection c, String kind, String tenant, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT doc FROM documents WHERE id = ? AND kind = ? AND tenant = ?")) {
      ps.setString(1, id);
      ps.setString(2, kind);
      ps.setString(3, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new JsonObject(rs.getString(1)) : null;
      }
    }
  }

  private static Long archivedMillis(JsonObject doc) {
    String archived = doc.getString("archived_at");
    return archived == null ? null : Timestamps.parse(archived);
  }

  // ---------------------------------------------------------------------------------------------
  // Sessions and events

  @Override
  public Future<SessionCommit> createSession(String tenant, JsonObject session, long createdAtMillis, List<JsonObject> events) {
    return write(b -> {
      String id = session.getString("id");
      try (PreparedStatement ps = b.c.prepareStatement("INSERT INTO sessions (id, tenant, agent_id, agent_version, status,"
          + " created_at, archived_at, last_seq, doc) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)")) {
        JsonObject agent = session.getJsonObject("agent");
        ps.setString(1, id);
        ps.setString(2, tenant);
        ps.setString(3, agent.getString("id"));
        ps.setLong(4, agent.getLong("version"));
        ps.setString(5, session.getString("status"));
        ps.setLong(6, createdAtMillis);
        ps.setObject(7, archivedMillis(session));
        ps.setString(8, session.encode());
        ps.executeUpdate();
      }
      b.opSessions.put(id, new SessionRow(tenant, 0, session));
      return appendAndPublish(b, tenant, id, session, session, events, null);
    });
  }

  @Override
  public Future<Optional<SessionCommit>> commit(String tenant, String sessionId, Function<JsonObject, SessionChange> change) {
    return write(b -> {
      SessionRow row = b.session(sessionId);
      if (row == null || !row.tenant.equals(tenant)) {
        return Optional.empty();
      }
      SessionChange decided = change.apply(shallow(row.doc));
      return Optional.of(appendAndPublish(b, tenant, sessionId, row.doc, decided.session(), decided.events(), decided.texts()));
    });
  }

  /** @param texts the events encoded by the caller, or null */
  private SessionCommit appendAndPublish(Batch b, String tenant, String sessionId, JsonObject before, JsonObject after,
                                         List<JsonObject> events, List<String> texts) throws SQLException {
    SessionRow row = b.session(sessionId);
    long seq = row.lastSeq;
    List<StoredEvent> stored = new ArrayList<>(events.size());
    if (!events.isEmpty()) {
      PreparedStatement ps = b.statements.get(
          "INSERT INTO events (session_id, seq, id, type, processed_at, doc) VALUES (?, ?, ?, ?, ?, ?)");
      try {
        for (int i = 0; i < events.size(); i++) {
          JsonObject e = events.get(i);
          seq++;
          long processedAt = processedMillis(e.getString("processed_at"));
          // Encoded once: the same text goes to the database, the stream frames and the API.
          String text = texts != null ? texts.get(i) : e.encode();
          ps.setString(1, sessionId);
          ps.setLong(2, seq);
          ps.setString(3, e.getString("id"));
          ps.setString(4, e.getString("type"));
          ps.setLong(5, processedAt);
          ps.setString(6, text);
          ps.addBatch();
          stored.add(new StoredEvent(sessionId, seq, e.getString("id"), e.getString("type"), processedAt, e, text));
        }
        ps.executeBatch();
      } finally {
        ps.clearBatch();
      }
    }
    // With events the row is rewritten anyway (last_seq); without, only a real change is written.
    boolean docChanged = !events.isEmpty() || (after != before && !after.equals(before));
    if (docChanged) {
      String hot = hotFields(after).encode();
      PreparedStatement ps;
      if (coldChanged(before, after)) {
        ps = b.statements.get("UPDATE sessions SET status = ?, archived_at = ?, last_seq = ?, hot = ?, doc = ? WHERE id = ?");
        ps.setString(5, after.encode());
        ps.setString(6, sessionId);
      } else {
        ps = b.statements.get("UPDATE sessions SET status = ?, archived_at = ?, last_seq = ?, hot = ? WHERE id = ?");
        ps.setString(5, sessionId);
      }
      ps.setString(1, after.getString("status"));
      ps.setObject(2, archivedMillis(after));
      ps.setLong(3, seq);
      ps.setString(4, hot);
      ps.executeUpdate();
    }
    SessionRow next = new SessionRow(tenant, seq, after);
    b.opSessions.put(sessionId, next);
    if (!stored.isEmpty()) {
      List<StoredEvent> published = List.copyOf(stored);
      b.opAppended.computeIfAbsent(sessionId, k -> new ArrayList<>()).addAll(published);
      b.opAfter.add(() -> {
        for (CommitListener l : listeners) {
          l.committed(tenant, sessionId, published);
        }
      });
    }
    return new SessionCommit(after, List.copyOf(stored));
  }

  @Override
  public Future<Optional<JsonObject>> session(String tenant, String sessionId) {
    SessionRow cached = sessions.getIfPresent(sessionId);
    if (cached != null) {
      return Future.succeededFuture(cached.tenant.equals(tenant) ? Optional.of(shallow(cached.doc)) : Optional.empty());
    }
    return read(c -> {
      SessionRow row = loadSession(c, sessionId);
      if (row == null) {
        return Optional.<JsonObject>empty();
      }
      sessions.asMap().putIfAbsent(sessionId, row);
      return row.tenant.equals(tenant) ? Optional.of(shallow(row.doc)) : Optional.<JsonObject>empty();
    });
  }

  @Override
  public Future<Page<JsonObject>> listSessions(String tenant, ListQuery q) {
    return read(c -> {
      StringBuilder sql = new StringBuilder("SELECT id, created_at, doc, hot FROM sessions WHERE tenant = ? AND created_at BETWEEN ? AND ?");
      List<Object> params = new ArrayList<>(List.of(tenant, q.range().fromMillis(), q.range().toMillis()));
      if (!q.includeArchived()) {
        sql.append(" AND archived_at IS NULL");
      }
      if (q.agentId() != null) {
        sql.append(" AND agent_id = ?");
        params.add(q.agentId());
      }
      if (q.agentVersion() != null) {
        sql.append(" AND agent_version = ?");
        params.add(q.agentVersion());
      }
      if (!q.statuses().isEmpty()) {
        sql.append(" AND status IN (").append("?,".repeat(q.statuses().size() - 1)).append("?)");
        params.addAll(q.statuses());
      }
      return Keyset.page(c, sql.toString(), params, "created_at", "id", q, rs -> sessionDoc(rs.getString(3), rs.getString(4)),
          doc -> new PageKey(Timestamps.parse(doc.getString("created_at")), doc.getString("id")));
    });
  }

  @Override
  public Future<Optional<JsonObject>> deleteSession(String tenant, String sessionId) {
    return write(b -> {
      SessionRow row = b.session(sessionId);
      if (row == null || !row.tenant.equals(tenant)) {
        return Optional.empty();
      }
      for (String sql : List.of("DELETE FROM events WHERE session_id = ?", "DELETE FROM sessions WHERE id = ?")) {
        try (PreparedStatement ps = b.c.prepareStatement(sql)) {
          ps.setString(1, sessionId);
          ps.executeUpdate();
        }
      }
      b.opSessions.put(sessionId, null);
      return Optional.of(row.doc);
    });
  }

  @Override
  public Future<Optional<Page<StoredEvent>>> listEvents(String tenant, String sessionId, ListQuery q) {
    return read(c -> {
      SessionRow row = loadSession(c, sessionId);
      if (row == null || !row.tenant.equals(tenant)) {
        return Optional.empty();
      }
      StringBuilder sql = new StringBuilder(
          "SELECT seq, id, type, processed_at, doc FROM events WHERE session_id = ? AND processed_at BETWEEN ? AND ?");
      List<Object> params = new ArrayList<>(List.of(sessionId, q.range().fromMillis(), q.range().toMillis()));
      if (!q.types().isEmpty()) {
        sql.append(" AND type IN (").append("?,".repeat(q.types().size() - 1)).append("?)");
        params.addAll(q.types());
      }
      Page<StoredEvent> page = Keyset.page(c, sql.toString(), params, "seq", "''", q,
          rs -> event(sessionId, rs), e -> new PageKey(e.seq(), ""));
      return Optional.of(page);
    });
  }

  @Override
  public Future<List<StoredEvent>> eventsAfter(String sessionId, long afterSeq, int limit) {
    List<StoredEvent> cached = recentAfter(sessionId, afterSeq, limit);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return read(c -> {
      PreparedStatement ps = readStatements.get().get(
          "SELECT seq, id, type, processed_at, doc FROM events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?");
      ps.setString(1, sessionId);
      ps.setLong(2, afterSeq);
      ps.setInt(3, limit);
      List<StoredEvent> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(event(sessionId, rs));
        }
      }
      return out;
    });
  }

  @Override
  public Future<List<dev.junction.store.SessionKey>> sessionsWithStatus(java.util.Set<String> statuses) {
    return read(c -> {
      List<dev.junction.store.SessionKey> out = new ArrayList<>();
      if (statuses.isEmpty()) {
        return out;
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT tenant, id FROM sessions WHERE status IN ("
          + "?,".repeat(statuses.size() - 1) + "?)")) {
        int i = 1;
        for (String s : statuses) {
          ps.setString(i++, s);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new dev.junction.store.SessionKey(rs.getString(1), rs.getString(2)));
          }
        }
      }
      return out;
    });
  }

  @Override
  public Future<Optional<StoredEvent>> event(String tenant, String sessionId, String eventId) {
    return read(c -> {
      SessionRow row = loadSession(c, sessionId);
      if (row == null || !row.tenant.equals(tenant)) {
        return Optional.empty();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT seq, id, type, processed_at, doc FROM events WHERE id = ? AND session_id = ?")) {
        ps.setString(1, eventId);
        ps.setString(2, sessionId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(event(sessionId, rs)) : Optional.empty();
        }
      }
    });
  }

  /**
   * Events after {@code afterSeq} from memory, or null when memory does not hold all of them. The tail
   * is used only when it ends where the cached row says the log ends, both being committed state.
   */
  private List<StoredEvent> recentAfter(String sessionId, long afterSeq, int limit) {
    SessionRow row = sessions.getIfPresent(sessionId);
    if (row == null) {
      return null;
    }
    if (afterSeq >= row.lastSeq) {
      return List.of();
    }
    Tail t = recent.getIfPresent(sessionId);
    if (t == null || t.lastSeq() != row.lastSeq || afterSeq < t.firstSeq - 1) {
      return null;
    }
    int from = (int) (afterSeq - t.firstSeq + 1);
    return t.events.subList(from, Math.min(t.events.size(), from + Math.max(0, limit)));
  }

  private static StoredEvent event(String sessionId, ResultSet rs) throws SQLException {
    String text = rs.getString(5);
    return new StoredEvent(sessionId, rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), new JsonObject(text), text);
  }

  private static SessionRow loadSession(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT tenant, last_seq, doc, hot FROM sessions WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new SessionRow(rs.getString(1), rs.getLong(2), sessionDoc(rs.getString(3), rs.getString(4))) : null;
      }
    }
  }

  /** A session's document: the last full write with the hot fields of the last append laid over it. */
  static JsonObject sessionDoc(String doc, String hot) {
    JsonObject out = new JsonObject(doc);
    if (hot != null) {
      JsonObject fields = new JsonObject(hot);
      for (String k : HOT) {
        if (fields.containsKey(k)) {
          out.put(k, fields.getValue(k));
        } else {
          out.remove(k);
        }
      }
    }
    return out;
  }

  private static JsonObject hotFields(JsonObject session) {
    JsonObject out = new JsonObject();
    for (String k : HOT) {
      if (session.containsKey(k)) {
        out.put(k, session.getValue(k));
      }
    }
    return out;
  }

  /**
   * Whether a field outside {@link #HOT} changed. Changes replace top-level values and never modify
   * nested ones in place (see {@link #shallow}), so an untouched field is the same instance.
   */
  private static boolean coldChanged(JsonObject before, JsonObject after) {
    if (before == after) {
      return false;
    }
    Map<String, Object> was = before.getMap();
    int cold = 0;
    for (Map.Entry<String, Object> e : after.getMap().entrySet()) {
      if (HOT.contains(e.getKey())) {
        continue;
      }
      cold++;
      if (was.get(e.getKey()) != e.getValue() || (e.getValue() == null && !was.containsKey(e.getKey()))) {
        return true;
      }
    }
    for (String k : was.keySet()) {
      if (!HOT.contains(k)) {
        cold--;
      }
    }
    return cold != 0;
  }

  // ---------------------------------------------------------------------------------------------
  // Threads

  private <T> Future<T> read(ReadFn<T> fn) {
    Context ctx = Vertx.currentContext();
    Promise<T> promise = Promise.promise();
    try {
      readers.execute(() -> {
        T result;
        try {
          result = fn.apply(readConnection());
        } catch (Throwable e) {
          complete(ctx, promise, null, e);
          return;
        }
        complete(ctx, promise, result, null);
      });
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return promise.future();
  }

  private <T> Future<T> write(WriteFn<T> fn) {
    if (closing) {
      return Future.failedFuture(new IllegalStateException("store is closing"));
    }
    Promise<T> promise = Promise.promise();
    if (!writes.offer(new WriteOp<>(fn, promise, Vertx.currentContext()))) {
      return Future.failedFuture(new IllegalStateException("store write queue is full"));
    }
    return promise.future();
  }

  /**
   * A connection to the database file. Generated keys are off: nothing here asks for them, and with
   * them on the driver runs {@code SELECT last_insert_rowid()} on a new statement after every insert.
   */
  private Connection open() throws SQLException {
    java.util.Properties p = new java.util.Properties();
    p.setProperty("jdbc.get_generated_keys", "false");
    return DriverManager.getConnection("jdbc:sqlite:" + file, p);
  }

  private Connection readConnection() throws SQLException {
    Connection c = readConnection.get();
    if (c == null) {
      c = open();
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout=10000");
        s.execute("PRAGMA query_only=1");
      }
      readConnection.set(c);
      readStatements.set(new Statements(c));
      readConnections.add(c);
    }
    return c;
  }

  private void writeLoop() {
    List<WriteOp<?>> batch = new ArrayList<>(MAX_BATCH);
    while (true) {
      try {
        WriteOp<?> first = writes.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closing) {
            break;
          }
          continue;
        }
        batch.add(first);
        writes.drainTo(batch, MAX_BATCH - 1);
        runBatch(batch);
        batch.clear();
        checkpointer.committed();
      } catch (InterruptedException e) {
        // Only close() ends the loop, after the queue is empty; an interrupt alone is ignored.
        Thread.interrupted();
      }
    }
    closeQuietly(writeConnection);
  }

  private void runBatch(List<WriteOp<?>> ops) {
    Connection c = writeConnection;
    Object[] results = new Object[ops.size()];
    Throwable[] failures = new Throwable[ops.size()];
    Statements st = writeStatements;
    Batch b = new Batch(c, st);
    try {
      c.setAutoCommit(false);
      for (int i = 0; i < ops.size(); i++) {
        b.opSessions = new HashMap<>();
        b.opAfter = new ArrayList<>();
        b.opAppended = new HashMap<>();
        st.run("SAVEPOINT op");
        try {
          results[i] = ops.get(i).fn.apply(b);
          st.run("RELEASE op");
          b.dirtySessions.putAll(b.opSessions);
          b.afterCommit.addAll(b.opAfter);
          b.opAppended.forEach((id, events) -> b.appended.computeIfAbsent(id, k -> new ArrayList<>()).addAll(events));
        } catch (Throwable e) {
          failures[i] = e;
          st.run("ROLLBACK TO op");
          st.run("RELEASE op");
        }
      }
      c.commit();
    } catch (Throwable e) {
      LOG.error("store transaction failed; {} writes rolled back", ops.size(), e);
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // The connection is unusable either way; the failure is reported to every caller below.
      }
      for (int i = 0; i < ops.size(); i++) {
        fail(ops.get(i), e);
      }
      return;
    } finally {
      try {
        c.setAutoCommit(true);
      } catch (SQLException ignored) {
        // Next batch resets it again.
      }
    }
    for (Map.Entry<String, List<StoredEvent>> e : b.appended.entrySet()) {
      Tail t = recent.getIfPresent(e.getKey());
      List<StoredEvent> added = e.getValue();
      recent.put(e.getKey(), t == null ? new Tail(added.get(0).seq(), List.of()).plus(added) : t.plus(added));
    }
    for (Map.Entry<String, SessionRow> e : b.dirtySessions.entrySet()) {
      if (e.getValue() == null) {
        sessions.invalidate(e.getKey());
        recent.invalidate(e.getKey());
      } else {
        sessions.put(e.getKey(), e.getValue());
      }
    }
    for (Runnable r : b.afterCommit) {
      try {
        r.run();
      } catch (Throwable e) {
        LOG.error("commit listener failed", e);
      }
    }
    for (int i = 0; i < ops.size(); i++) {
      if (failures[i] != null) {
        fail(ops.get(i), failures[i]);
      } else {
        succeed(ops.get(i), results[i]);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void succeed(WriteOp<T> op, Object result) {
    complete(op.context, op.promise, (T) result, null);
  }

  private static <T> void fail(WriteOp<T> op, Throwable e) {
    complete(op.context, op.promise, null, e);
  }

  private static <T> void complete(Context ctx, Promise<T> promise, T result, Throwable failure) {
    Runnable r = () -> {
      if (failure != null) {
        promise.fail(failure);
      } else {
        promise.complete(result);
      }
    };
    if (ctx == null) {
      r.run();
      return;
    }
    try {
      ctx.runOnContext(v -> r.run());
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // The caller's event loop is gone (shutdown): nobody is left to tell.
    }
  }

  /** Parses {@code processed_at}; the writer thread's only, which sees the same text for every event of a commit. */
  private long processedMillis(String text) {
    if (text == null) {
      return 0;
    }
    if (!text.equals(lastProcessedText)) {
      lastProcessedMillis = Timestamps.parse(text);
      lastProcessedText = text;
    }
    return lastProcessedMillis;
  }

  /**
   * A copy of the top level only. Session changes replace top-level values and never modify nested
   * objects in place (they copy what they change), so the cached document stays intact at a fraction
   * of a deep copy's cost: the agent snapshot inside a session is the bulk of it.
   */
  private static JsonObject shallow(JsonObject doc) {
    return new JsonObject(new java.util.LinkedHashMap<>(doc.getMap()));
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // Closing at shutdown; nothing left to do with the error.
    }
  }
}
