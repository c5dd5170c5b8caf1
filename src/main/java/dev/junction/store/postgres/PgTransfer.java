package dev.junction.store.postgres;

import dev.junction.store.StoreNotEmptyException;
import dev.junction.store.StoreRecord;
import dev.junction.store.Transfer;
import dev.junction.store.TransferTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link Transfer} for the PostgreSQL store, on a small pool of its own. A reader pages through one
 * {@code REPEATABLE READ, READ ONLY} transaction, a consistent snapshot while nodes keep writing. A
 * loader inserts in one transaction that first locks the tables against other writers (nodes still
 * running wait, or the load gives up after {@code lock_timeout}); each run of records of one table
 * goes out as one pipelined batch.
 */
public final class PgTransfer implements Transfer {
  private static final int PAGE = 256;
  private static final TransferTable[] ORDER = TransferTable.values();
  private static final String LOCK = "LOCK TABLE agents, agent_versions, documents, sessions, events IN EXCLUSIVE MODE";

  private final Pool pool;
  private final String location;
  private final int pageSize;

  /**
   * @param vertx   the instance whose event loops run the connections
   * @param connect where the database is
   */
  public PgTransfer(Vertx vertx, PgConnectOptions connect) {
    this(vertx, connect, PAGE);
  }

  /** @param pageSize rows per page read */
  public PgTransfer(Vertx vertx, PgConnectOptions connect, int pageSize) {
    this.pageSize = pageSize;
    this.pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(2).setName("junction-pg-transfer").setShared(false))
        .connectingTo(connect)
        .using(vertx)
        .build();
    this.location = "PostgreSQL database " + connect.getDatabase() + " at " + connect.getHost() + ":" + connect.getPort();
  }

  /** @param url a {@code postgresql://user:password@host:port/database} URL */
  public static PgTransfer fromUrl(Vertx vertx, String url) {
    return new PgTransfer(vertx, PgConnectOptions.fromUri(url));
  }

  @Override
  public String type() {
    return "postgres";
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public Future<Reader> read() {
    // An older schema is brought up to date first, as a node would; a database without one is not
    // Junction's, and exporting from it must not create tables there.
    return pool.query("SELECT to_regclass('schema_version') IS NOT NULL").execute()
        .compose(rows -> rows.iterator().next().getBoolean(0) ? PgSchema.migrate(pool)
            : Future.failedFuture(new IllegalStateException("the database holds no Junction tables: nothing to export")))
        .compose(v -> pool.getConnection()).compose(c -> c.begin()
        .compose(tx -> c.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute()
            .map(x -> (Reader) new SnapshotReader(c, tx)))
        .onFailure(e -> c.close()));
  }

  @Override
  public Future<Loader> load(boolean merge) {
    return PgSchema.migrate(pool).compose(v -> pool.getConnection()).compose(c -> c.begin()
        .compose(tx -> c.query("SET LOCAL lock_timeout = '30s'").execute()
            .compose(x -> c.query(LOCK).execute())
            .compose(x -> merge ? Future.succeededFuture() : c.query(TransferTable.COUNT_ROWS).execute().compose(rows -> {
              Row r = rows.iterator().next();
              return StoreNotEmptyException.empty(r.getLong(0), r.getLong(1), r.getLong(2)) ? Future.succeededFuture()
                  : Future.failedFuture(new StoreNotEmptyException(location, r.getLong(0), r.getLong(1), r.getLong(2)));
            }))
            .map(x -> (Loader) new TransactionLoader(c, tx)))
        .onFailure(e -> c.close()));
  }

  @Override
  public Future<Void> close() {
    return pool.close();
  }

  private final class SnapshotReader implements Reader {
    private final SqlConnection connection;
    private final Transaction tx;
    private int table;
    private TransferTable.Cursor cursor = TransferTable.Cursor.START;

    SnapshotReader(SqlConnection connection, Transaction tx) {
      this.connection = connection;
      this.tx = tx;
    }

    @Override
    public Future<List<StoreRecord>> next() {
      if (table >= ORDER.length) {
        return Future.succeededFuture(List.of());
      }
      TransferTable t = ORDER[table];
      return connection.preparedQuery(t.pageQuery(i -> "$" + i)).execute(Tuple.from(t.pageParams(cursor, pageSize)))
          .compose(rows -> {
            List<StoreRecord> page = new ArrayList<>(rows.size());
            for (Row row : rows) {
              page.add(t.read(new RowColumns(row)));
            }
            if (page.size() < pageSize) {
              table++;
              cursor = TransferTable.Cursor.START;
            } else {
              cursor = TransferTable.cursorAfter(page.get(page.size() - 1));
            }
            return page.isEmpty() ? next() : Future.succeededFuture(page);
          });
    }

    @Override
    public Future<Void> close() {
      return tx.rollback().otherwiseEmpty().eventually(connection::close);
    }
  }

  private final class TransactionLoader implements Loader {
    private final SqlConnection connection;
    private final Transaction tx;

    TransactionLoader(SqlConnection connection, Transaction tx) {
      this.connection = connection;
      this.tx = tx;
    }

    @Override
    public Future<Void> write(List<StoreRecord> records) {
      Future<Void> chain = Future.succeededFuture();
      int from = 0;
      while (from < records.size()) {
        TransferTable t = TransferTable.of(records.get(from));
        List<Tuple> batch = new ArrayList<>();
        while (from < records.size() && TransferTable.of(records.get(from)) == t) {
          batch.add(Tuple.from(TransferTable.values(records.get(from))));
          from++;
        }
        chain = chain.compose(x -> connection.preparedQuery(t.insert(i -> "$" + i)).executeBatch(batch).mapEmpty());
      }
      return chain.recover(e -> Future.failedFuture(e instanceof PgException pg && pg.getDetail() != null
          ? new IllegalStateException(pg.getErrorMessage() + ": " + pg.getDetail(), e) : e));
    }

    @Override
    public Future<Void> commit() {
      return tx.commit().eventually(connection::close);
    }

    @Override
    public Future<Void> rollback() {
      // A failed statement may already have ended the transaction; closing the connection ends it anyway.
      return tx.rollback().otherwiseEmpty().eventually(connection::close);
    }
  }

  private static final class RowColumns implements TransferTable.Columns {
    private final Row row;

    RowColumns(Row row) {
      this.row = row;
    }

    @Override
    public String text(int column) {
      return row.getString(column);
    }

    @Override
    public long number(int column) {
      return row.getLong(column);
    }

    @Override
    public Long nullableNumber(int column) {
      return row.getLong(column);
    }

    @Override
    public JsonObject json(int column) {
      return row.getJsonObject(column);
    }
  }
}
