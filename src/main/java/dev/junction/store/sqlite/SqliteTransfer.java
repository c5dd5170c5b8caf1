package dev.junction.store.sqlite;

import dev.junction.store.StoreNotEmptyException;
import dev.junction.store.StoreRecord;
import dev.junction.store.Transfer;
import dev.junction.store.TransferTable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@link Transfer} for the embedded store. Each reader and loader owns one connection to the database
 * file and one thread that runs all its JDBC, so no caller thread blocks on SQLite. A reader holds
 * one read transaction (a WAL snapshot, so a running gateway may keep writing); a loader holds one
 * {@code BEGIN IMMEDIATE} transaction, which also keeps any other writer out until it ends.
 */
public final class SqliteTransfer implements Transfer {
  private static final int PAGE = 256;
  private static final TransferTable[] ORDER = TransferTable.values();

  private final Path file;
  private final String synchronous;
  private final int pageSize;
  private final Set<Worker> open = ConcurrentHashMap.newKeySet();

  /**
   * @param dataDir     the directory holding {@code junction.db}, as {@code store.data_dir} names it
   * @param synchronous the {@code synchronous} pragma for loads ({@code FULL} or {@code NORMAL})
   */
  public SqliteTransfer(Path dataDir, String synchronous) {
    this(dataDir, synchronous, PAGE);
  }

  /** @param pageSize rows per page read */
  public SqliteTransfer(Path dataDir, String synchronous, int pageSize) {
    this.file = dataDir.resolve("junction.db");
    this.synchronous = synchronous;
    this.pageSize = pageSize;
  }

  @Override
  public String type() {
    return "sqlite";
  }

  @Override
  public String location() {
    return "SQLite database " + file;
  }

  @Override
  public Future<Reader> read() {
    if (!Files.isRegularFile(file)) {
      return Future.failedFuture(new IllegalStateException("there is no database file: nothing to export"
          + " (check store.data_dir or JUNCTION_DATA_DIR)"));
    }
    Worker w = new Worker("junction-sqlite-export");
    return w.run(c -> {
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'schema_version'")) {
        if (!rs.next() || rs.getLong(1) == 0) {
          throw new IllegalStateException("the database holds no Junction tables: nothing to export");
        }
      }
      // An older schema is brought up to date first, as serve would.
      Schema.migrate(c);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA query_only=1");
        // A WAL snapshot starts with the transaction's first read and lasts until it ends.
        s.execute("BEGIN");
        s.executeQuery("SELECT count(*) FROM schema_version").close();
      }
      return (Reader) new SnapshotReader(w);
    }).onFailure(e -> w.close());
  }

  @Override
  public Future<Loader> load(boolean merge) {
    Worker w = new Worker("junction-sqlite-import");
    return w.run(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=" + synchronous);
      }
      Schema.migrate(c);
      try (Statement s = c.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
      }
      if (!merge) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(TransferTable.COUNT_ROWS)) {
          rs.next();
          if (!StoreNotEmptyException.empty(rs.getLong(1), rs.getLong(2), rs.getLong(3))) {
            throw new StoreNotEmptyException(location(), rs.getLong(1), rs.getLong(2), rs.getLong(3));
          }
        }
      }
      return (Loader) new TransactionLoader(w);
    }).onFailure(e -> w.close());
  }

  @Override
  public Future<Void> close() {
    for (Worker w : open) {
      w.close();
    }
    return Future.succeededFuture();
  }

  private final class SnapshotReader implements Reader {
    private final Worker worker;
    private final Map<TransferTable, PreparedStatement> statements = new EnumMap<>(TransferTable.class);
    private int table;
    private TransferTable.Cursor cursor = TransferTable.Cursor.START;

    SnapshotReader(Worker worker) {
      this.worker = worker;
    }

    @Override
    public Future<List<StoreRecord>> next() {
      return worker.run(c -> {
        while (table < ORDER.length) {
          List<StoreRecord> page = page(c, ORDER[table]);
          if (page.size() < pageSize) {
            table++;
            cursor = TransferTable.Cursor.START;
          } else {
            cursor = TransferTable.cursorAfter(page.get(page.size() - 1));
          }
          if (!page.isEmpty()) {
            return page;
          }
        }
        return List.of();
      });
    }

    private List<StoreRecord> page(Connection c, TransferTable t) throws SQLException {
      PreparedStatement ps = statements.get(t);
      boolean sessions = t == TransferTable.SESSIONS;
      if (ps == null) {
        // A session row keeps the fields every append changes in its own column (hot); the exported
        // document is the one the store serves, with them laid over the last full write.
        String sql = t.pageQuery(i -> "?");
        ps = c.prepareStatement(sessions ? sql.replace(", doc FROM sessions", ", doc, hot FROM sessions") : sql);
        statements.put(t, ps);
      }
      Object[] params = t.pageParams(cursor, pageSize);
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      List<StoreRecord> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        TransferTable.Columns columns = sessions ? new SessionColumns(rs) : new ResultSetColumns(rs);
        while (rs.next()) {
          out.add(t.read(columns));
        }
      }
      return out;
    }

    @Override
    public Future<Void> close() {
      return worker.close();
    }
  }

  private final class TransactionLoader implements Loader {
    private final Worker worker;
    private final Map<TransferTable, PreparedStatement> statements = new EnumMap<>(TransferTable.class);

    TransactionLoader(Worker worker) {
      this.worker = worker;
    }

    @Override
    public Future<Void> write(List<StoreRecord> records) {
      List<StoreRecord> batch = List.copyOf(records);
      return worker.run(c -> {
        int from = 0;
        while (from < batch.size()) {
          TransferTable t = TransferTable.of(batch.get(from));
          int to = from;
          while (to < batch.size() && TransferTable.of(batch.get(to)) == t) {
            to++;
          }
          insert(c, t, batch.subList(from, to));
          from = to;
        }
        return null;
      });
    }

    private void insert(Connection c, TransferTable t, List<StoreRecord> rows) throws SQLException {
      PreparedStatement ps = statements.get(t);
      if (ps == null) {
        ps = c.prepareStatement(t.insert(i -> "?"));
        statements.put(t, ps);
      }
      // Row by row (SQLite runs a batch that way too), so a refused row can be named.
      for (StoreRecord r : rows) {
        Object[] values = TransferTable.values(r);
        for (int i = 0; i < values.length; i++) {
          Object v = values[i];
          ps.setObject(i + 1, v instanceof JsonObject doc ? doc.encode() : v);
        }
        try {
          ps.executeUpdate();
        } catch (SQLException e) {
          throw new SQLException(TransferTable.describe(r) + ": " + e.getMessage(), e);
        }
      }
    }

    @Override
    public Future<Void> commit() {
      return worker.run(c -> {
        try (Statement s = c.createStatement()) {
          s.execute("COMMIT");
        }
        return (Void) null;
      }).eventually(worker::close);
    }

    @Override
    public Future<Void> rollback() {
      return worker.run(c -> {
        try (Statement s = c.createStatement()) {
          s.execute("ROLLBACK");
        }
        return (Void) null;
      }).eventually(worker::close);
    }
  }

  /** Session rows: column 8, the document, comes with the hot fields (column 9) laid over it. */
  private static final class SessionColumns extends ResultSetColumns {
    SessionColumns(ResultSet rs) {
      super(rs);
    }

    @Override
    public JsonObject json(int column) {
      return column == 8 ? SqliteStore.sessionDoc(text(8), text(9)) : super.json(column);
    }
  }

  private static class ResultSetColumns implements TransferTable.Columns {
    private final ResultSet rs;

    ResultSetColumns(ResultSet rs) {
      this.rs = rs;
    }

    @Override
    public String text(int column) {
      try {
        return rs.getString(column + 1);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public long number(int column) {
      try {
        return rs.getLong(column + 1);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public Long nullableNumber(int column) {
      try {
        long v = rs.getLong(column + 1);
        return rs.wasNull() ? null : v;
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public JsonObject json(int column) {
      return new JsonObject(text(column));
    }
  }

  @FunctionalInterface
  private interface Jdbc<T> {
    T apply(Connection c) throws Exception;
  }

  /** One connection and the one thread that uses it. */
  private final class Worker {
    private final ExecutorService thread;
    private Connection connection;

    Worker(String name) {
      this.thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
      });
      open.add(this);
    }

    <T> Future<T> run(Jdbc<T> fn) {
      Promise<T> promise = Promise.promise();
      try {
        thread.execute(() -> {
          try {
            if (connection == null) {
              Files.createDirectories(file.getParent());
              connection = DriverManager.getConnection("jdbc:sqlite:" + file);
              try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA busy_timeout=10000");
              }
            }
            promise.complete(fn.apply(connection));
          } catch (Throwable e) {
            promise.fail(e);
          }
        });
      } catch (RejectedExecutionException e) {
        promise.fail(new IllegalStateException("the transfer of " + location() + " is closed"));
      }
      return promise.future();
    }

    /** Closes the connection (ending any transaction still open, uncommitted) and the thread. */
    Future<Void> close() {
      if (!open.remove(this)) {
        return Future.succeededFuture();
      }
      Promise<Void> closed = Promise.promise();
      try {
        thread.execute(() -> {
          try {
            if (connection != null) {
              connection.close();
            }
          } catch (SQLException ignored) {
            // Closing is all that is left to do with this connection.
          }
          closed.complete();
        });
        thread.shutdown();
      } catch (RejectedExecutionException e) {
        closed.complete();
      }
      return closed.future();
    }
  }
}
