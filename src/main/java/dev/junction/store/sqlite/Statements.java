package dev.junction.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The prepared statements of one connection, each prepared on first use and kept: SQLite parses and
 * plans a statement on every {@code prepareStatement}, which on the writer's hot path (an append is a
 * savepoint, an insert, an update and a release) cost more than running them. Only fixed SQL texts
 * belong here; like its connection, an instance is used by one thread at a time.
 */
final class Statements {
  private final Connection connection;
  private final Map<String, PreparedStatement> prepared = new HashMap<>();

  Statements(Connection connection) {
    this.connection = connection;
  }

  /** The statement for this SQL, ready for new parameters; never close it, the connection does. */
  PreparedStatement get(String sql) throws SQLException {
    PreparedStatement ps = prepared.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      prepared.put(sql, ps);
    }
    return ps;
  }

  /** Runs a statement without parameters or results, such as {@code SAVEPOINT op}. */
  void run(String sql) throws SQLException {
    get(sql).executeUpdate();
  }
}
