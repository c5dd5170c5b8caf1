package dev.junction.store;

import io.vertx.core.json.JsonObject;

import java.util.function.IntFunction;

/**
 * The tables a {@link Transfer} walks, in load order, with their columns as both schemas name them.
 * Each is read in pages ordered by its primary key, so a page is one index range scan however far
 * the walk has gone; SQL differs between stores only in its placeholders.
 */
public enum TransferTable {
  AGENTS("agents", "id, tenant, latest_version, created_at, archived_at", "id", null),
  AGENT_VERSIONS("agent_versions", "agent_id, version, doc", "agent_id", "version"),
  DOCUMENTS("documents", "id, kind, tenant, created_at, archived_at, doc", "id", null),
  SESSIONS("sessions", "id, tenant, agent_id, agent_version, status, created_at, archived_at, last_seq, doc", "id", null),
  EVENTS("events", "session_id, seq, id, type, processed_at, doc", "session_id", "seq");

  /** Counts what a load target already holds: agents, documents, sessions. */
  public static final String COUNT_ROWS =
      "SELECT (SELECT count(*) FROM agents), (SELECT count(*) FROM documents), (SELECT count(*) FROM sessions)";

  private final String table;
  private final String columns;
  private final String key;
  private final String seqKey;

  TransferTable(String table, String columns, String key, String seqKey) {
    this.table = table;
    this.columns = columns;
    this.key = key;
    this.seqKey = seqKey;
  }

  /** One row as a store's driver exposes it; columns are numbered from 0 in {@link #pageQuery} order. */
  public interface Columns {
    String text(int column);

    long number(int column);

    /** @return the value, or null for SQL NULL */
    Long nullableNumber(int column);

    JsonObject json(int column);
  }

  /**
   * Where the previous page ended.
   *
   * @param id  the last key (agent, document or session id; the agent or session of a version or event)
   * @param seq the last version or sequence within {@code id}; 0 for tables keyed by id alone
   */
  public record Cursor(String id, long seq) {
    /** Before every row: ids are never empty and sequences start at 1. */
    public static final Cursor START = new Cursor("", 0);
  }

  /**
   * @param placeholder the parameter marker for a 1-based position: {@code ?} or {@code $n}
   * @return the next page after a {@link Cursor}, bound as (id[, seq], limit)
   */
  public String pageQuery(IntFunction<String> placeholder) {
    String after = seqKey == null
        ? key + " > " + placeholder.apply(1)
        : "(" + key + ", " + seqKey + ") > (" + placeholder.apply(1) + ", " + placeholder.apply(2) + ")";
    int limit = seqKey == null ? 2 : 3;
    return "SELECT " + columns + " FROM " + table + " WHERE " + after + " ORDER BY " + key
        + (seqKey == null ? "" : ", " + seqKey) + " LIMIT " + placeholder.apply(limit);
  }

  /** @return the parameters of {@link #pageQuery} for the page after {@code cursor} */
  public Object[] pageParams(Cursor cursor, int limit) {
    return seqKey == null ? new Object[] {cursor.id(), limit} : new Object[] {cursor.id(), cursor.seq(), limit};
  }

  /** @return an insert of every column, in {@link #values} order */
  public String insert(IntFunction<String> placeholder) {
    int n = columns.split(",").length;
    StringBuilder values = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      values.append(i == 1 ? "" : ", ").append(placeholder.apply(i));
    }
    return "INSERT INTO " + table + " (" + columns + ") VALUES (" + values + ")";
  }

  /** @return the table a record is loaded into */
  public static TransferTable of(StoreRecord record) {
    if (record instanceof StoreRecord.Agent) {
      return AGENTS;
    } else if (record instanceof StoreRecord.AgentVersion) {
      return AGENT_VERSIONS;
    } else if (record instanceof StoreRecord.Document) {
      return DOCUMENTS;
    } else if (record instanceof StoreRecord.Session) {
      return SESSIONS;
    }
    return EVENTS;
  }

  /** Reads one row of this table. */
  public StoreRecord read(Columns r) {
    return switch (this) {
      case AGENTS -> new StoreRecord.Agent(r.text(0), r.text(1), r.number(2), r.number(3), r.nullableNumber(4));
      case AGENT_VERSIONS -> new StoreRecord.AgentVersion(r.text(0), r.number(1), r.json(2));
      case DOCUMENTS -> new StoreRecord.Document(r.text(0), r.text(1), r.text(2), r.number(3), r.nullableNumber(4),
          r.json(5));
      case SESSIONS -> new StoreRecord.Session(r.text(0), r.text(1), r.text(2), r.number(3), r.text(4), r.number(5),
          r.nullableNumber(6), r.number(7), r.json(8));
      case EVENTS -> new StoreRecord.Event(r.text(0), r.number(1), r.text(2), r.text(3), r.number(4), r.json(5));
    };
  }

  /** @return the column values of a record of this table, in {@link #insert} order (documents as objects) */
  public static Object[] values(StoreRecord record) {
    if (record instanceof StoreRecord.Agent a) {
      return new Object[] {a.id(), a.tenant(), a.latestVersion(), a.createdAt(), a.archivedAt()};
    } else if (record instanceof StoreRecord.AgentVersion v) {
      return new Object[] {v.agentId(), v.version(), v.doc()};
    } else if (record instanceof StoreRecord.Document d) {
      return new Object[] {d.id(), d.kind(), d.tenant(), d.createdAt(), d.archivedAt(), d.doc()};
    } else if (record instanceof StoreRecord.Session s) {
      return new Object[] {s.id(), s.tenant(), s.agentId(), s.agentVersion(), s.status(), s.createdAt(), s.archivedAt(),
          s.lastSeq(), s.doc()};
    }
    StoreRecord.Event e = (StoreRecord.Event) record;
    return new Object[] {e.sessionId(), e.seq(), e.id(), e.type(), e.processedAt(), e.doc()};
  }

  /** @return the cursor just past this record */
  public static Cursor cursorAfter(StoreRecord record) {
    if (record instanceof StoreRecord.Agent a) {
      return new Cursor(a.id(), 0);
    } else if (record instanceof StoreRecord.AgentVersion v) {
      return new Cursor(v.agentId(), v.version());
    } else if (record instanceof StoreRecord.Document d) {
      return new Cursor(d.id(), 0);
    } else if (record instanceof StoreRecord.Session s) {
      return new Cursor(s.id(), 0);
    }
    StoreRecord.Event e = (StoreRecord.Event) record;
    return new Cursor(e.sessionId(), e.seq());
  }

  /** @return a record named for messages, e.g. {@code event 7 of session sesn_...} */
  public static String describe(StoreRecord record) {
    if (record instanceof StoreRecord.Agent a) {
      return "agent " + a.id();
    } else if (record instanceof StoreRecord.AgentVersion v) {
      return "version " + v.version() + " of agent " + v.agentId();
    } else if (record instanceof StoreRecord.Document d) {
      return d.kind() + " " + d.id();
    } else if (record instanceof StoreRecord.Session s) {
      return "session " + s.id();
    }
    StoreRecord.Event e = (StoreRecord.Event) record;
    return "event " + e.seq() + " of session " + e.sessionId();
  }
}
