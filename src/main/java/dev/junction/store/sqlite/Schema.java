package dev.junction.store.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Versioned migrations; each entry runs once, in order, inside one transaction with its version bump. */
final class Schema {
  private static final List<String[]> MIGRATIONS = List.<String[]>of(
      new String[] {
          "CREATE TABLE api_keys (key_hash TEXT PRIMARY KEY, tenant TEXT NOT NULL, created_at INTEGER NOT NULL)",
          "CREATE TABLE agents (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, latest_version INTEGER NOT NULL,"
              + " created_at INTEGER NOT NULL, archived_at INTEGER)",
          "CREATE INDEX agents_by_tenant ON agents (tenant, created_at, id)",
          "CREATE TABLE agent_versions (agent_id TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL,"
              + " PRIMARY KEY (agent_id, version)) WITHOUT ROWID",
          "CREATE TABLE documents (id TEXT PRIMARY KEY, kind TEXT NOT NULL, tenant TEXT NOT NULL,"
              + " created_at INTEGER NOT NULL, archived_at INTEGER, doc TEXT NOT NULL)",
          "CREATE INDEX documents_by_tenant ON documents (tenant, kind, created_at, id)",
          "CREATE TABLE sessions (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, agent_id TEXT NOT NULL,"
              + " agent_version INTEGER NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL,"
              + " archived_at INTEGER, last_seq INTEGER NOT NULL, doc TEXT NOT NULL)",
          "CREATE INDEX sessions_by_tenant ON sessions (tenant, created_at, id)",
          "CREATE TABLE events (session_id TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL,"
              + " processed_at INTEGER NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (session_id, seq)) WITHOUT ROWID",
          "CREATE UNIQUE INDEX events_by_id ON events (id)"
      },
      // The fields every append changes (status, usage, stats, ...) as a small JSON of their own, so an
      // append rewrites a few hundred bytes instead of the whole document with its agent snapshot. NULL
      // for rows written before: their document is complete.
      new String[] {
          "ALTER TABLE sessions ADD COLUMN hot TEXT"
      });

  private Schema() {
  }

  static void migrate(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    }
    int current;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT max(version) FROM schema_version")) {
      current = rs.next() ? rs.getInt(1) : 0;
    }
    for (int v = current; v < MIGRATIONS.size(); v++) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        for (String sql : MIGRATIONS.get(v)) {
          s.executeUpdate(sql);
        }
        s.executeUpdate("INSERT INTO schema_version (version) VALUES (" + (v + 1) + ")");
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }
}
