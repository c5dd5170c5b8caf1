package dev.junction.store;

import dev.junction.store.postgres.PgStore;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;

/**
 * The store contract against a real PostgreSQL that the test starts itself, once for the class, so
 * nothing needs to be installed. (Run as root, the library starts PostgreSQL through {@code unshare -U}
 * because PostgreSQL refuses to run as root.)
 */
class PgStoreContractIT extends StoreContract {
  private EmbeddedPostgres postgres;

  @Override
  protected Store createStore(Vertx vertx) throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    return new PgStore(vertx, connectOptions(postgres), 4);
  }

  static PgConnectOptions connectOptions(EmbeddedPostgres postgres) {
    return new PgConnectOptions().setHost("localhost").setPort(postgres.getPort()).setDatabase("postgres")
        .setUser("postgres");
  }

  @AfterAll
  void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }
}
