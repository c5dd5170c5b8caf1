package dev.junction.store.postgres;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.List;

/**
 * Versioned migrations. Documents are {@code json}, not {@code jsonb}: the API returns them exactly
 * as written (key order included), and {@code jsonb} rejects the NUL character that tool output and
 * client text may carry. Nothing queries inside a document; every filtered or sorted field is mirrored
 * to an indexed column, as in the embedded schema.
 *
 * <p>Pending migrations run in one transaction that first takes a transaction-scoped advisory lock,
 * so nodes starting together apply each migration exactly once: the second node waits for the first
 * to commit, then finds nothing left to do.
 */
final class PgSchema {
  /** Arbitrary constant shared by every node: the advisory lock that serialises migrations. */
  private static final long MIGRATION_LOCK = 0x4A554E4354494F4EL;

  private static final List<List<String>> MIGRATIONS = List.of(
      List.of(
          "CREATE TABLE api_keys (key_hash TEXT PRIMARY KEY, tenant TEXT NOT NULL, created_at BIGINT NOT NULL)",
          "CREATE TABLE agents (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, latest_version BIGINT NOT NULL,"
              + " created_at BIGINT NOT NULL, archived_at BIGINT)",
          "CREATE INDEX agents_by_tenant ON agents (tenant, created_at, id)",
          "CREATE TABLE agent_versions (agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,"
              + " version BIGINT NOT NULL, doc JSON NOT NULL, PRIMARY KEY (agent_id, version))",
          "CREATE TABLE documents (id TEXT PRIMARY KEY, kind TEXT NOT NULL, tenant TEXT NOT NULL,"
              + " created_at BIGINT NOT NULL, archived_at BIGINT, doc JSON NOT NULL)",
          "CREATE INDEX documents_by_tenant ON documents (tenant, kind, created_at, id)",
          "CREATE TABLE sessions (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, agent_id TEXT NOT NULL,"
              + " agent_version BIGINT NOT NULL, status TEXT NOT NULL, created_at BIGINT NOT NULL,"
              + " archived_at BIGINT, last_seq BIGINT NOT NULL, doc JSON NOT NULL)",
          "CREATE INDEX sessions_by_tenant ON sessions (tenant, created_at, id)",
          "CREATE INDEX sessions_by_status ON sessions (status)",
          "CREATE TABLE events (session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,"
              + " seq BIGINT NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL, processed_at BIGINT NOT NULL,"
              + " doc JSON NOT NULL, PRIMARY KEY (session_id, seq))",
          "CREATE UNIQUE INDEX events_by_id ON events (id)"),
      // Which node runs which session (see PgLeases). Not tied to sessions by a foreign key: a lease
      // row outliving its session is harmless and is dropped when the session's runner retires.
      List.of(
          "CREATE TABLE session_leases (session_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, node TEXT NOT NULL,"
              + " expires_at BIGINT NOT NULL)",
          "CREATE INDEX session_leases_by_node ON session_leases (node)",
          "CREATE INDEX session_leases_by_expiry ON session_leases (expires_at)",
          // A runner's write calls this first, in its transaction: it holds a share lock on the lease
          // row until commit (a takeover waits for the write) and aborts the transaction when another
          // node holds the lease, so the write's pipelined statements and COMMIT all roll back.
          "CREATE FUNCTION junction_fence(sid TEXT, holder TEXT) RETURNS void LANGUAGE plpgsql AS $$ BEGIN"
              + " PERFORM 1 FROM session_leases WHERE session_id = sid AND node = holder FOR SHARE;"
              + " IF NOT FOUND THEN RAISE EXCEPTION 'node % no longer holds the lease of session %', holder, sid"
              + " USING ERRCODE = 'JL001'; END IF; END $$"));

  /** The SQLSTATE {@code junction_fence} raises. */
  static final String FENCE_SQLSTATE = "JL001";

  private PgSchema() {
  }

  /** The number of migrations this build knows; the schema version after {@link #migrate}. */
  static int latest() {
    return MIGRATIONS.size();
  }

  static Future<Integer> migrate(Pool pool) {
    return pool.withTransaction(c -> c.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(MIGRATION_LOCK))
        // IF NOT EXISTS would otherwise send a notice on every start after the first.
        .compose(x -> c.query("SET LOCAL client_min_messages TO warning").execute())
        .compose(x -> c.query("CREATE TABLE IF NOT EXISTS schema_version (version INT PRIMARY KEY)").execute())
        .compose(x -> c.query("SELECT coalesce(max(version), 0) FROM schema_version").execute())
        .compose(rows -> apply(c, rows.iterator().next().getInteger(0))));
  }

  private static Future<Integer> apply(SqlConnection c, int current) {
    Future<Void> chain = Future.succeededFuture();
    for (int v = current; v < MIGRATIONS.size(); v++) {
      int version = v + 1;
      for (String sql : MIGRATIONS.get(v)) {
        chain = chain.compose(x -> c.query(sql).execute().mapEmpty());
      }
      chain = chain.compose(x -> c.preparedQuery("INSERT INTO schema_version (version) VALUES ($1)")
          .execute(Tuple.of(version)).mapEmpty());
    }
    return chain.map(x -> Math.max(current, MIGRATIONS.size()));
  }
}
