package dev.junction.store;

import dev.junction.store.sqlite.SqliteStore;
import io.vertx.core.Vertx;

import java.nio.file.Files;

/** The store contract against the embedded SQLite store, in a fresh data directory. */
class SqliteStoreContractTest extends StoreContract {

  @Override
  protected Store createStore(Vertx vertx) throws Exception {
    return new SqliteStore(Files.createTempDirectory("junction-store-contract"), "NORMAL", 2);
  }
}
