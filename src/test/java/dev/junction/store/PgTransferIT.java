package dev.junction.store;

import dev.junction.store.postgres.PgStore;
import dev.junction.store.postgres.PgTransfer;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.UUID;

/** The transfer contract against a real PostgreSQL, each target in a database of its own. */
class PgTransferIT extends TransferContract {
  private EmbeddedPostgres postgres;
  private Pool admin;

  @BeforeAll
  void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    admin = PgBuilder.pool().connectingTo(PgStoreContractIT.connectOptions(postgres)).using(vertx).build();
  }

  @AfterAll
  void stopPostgres() throws Exception {
    if (admin != null) {
      get(admin.close());
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  protected Target createTarget(Vertx vertx, int pageSize) throws Exception {
    String name = "junction_" + UUID.randomUUID().toString().replace("-", "");
    get(admin.query("CREATE DATABASE " + name).execute());
    PgConnectOptions db = PgStoreContractIT.connectOptions(postgres).setDatabase(name);
    return new Target(new PgStore(vertx, db, 2), new PgTransfer(vertx, db, pageSize));
  }
}
