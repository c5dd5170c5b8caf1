package dev.junction.app;

import dev.junction.config.JunctionConfig;
import dev.junction.store.Store;
import dev.junction.store.Transfer;
import dev.junction.store.postgres.PgStore;
import dev.junction.store.postgres.PgTransfer;
import dev.junction.store.sqlite.SqliteStore;
import dev.junction.store.sqlite.SqliteTransfer;
import io.vertx.core.Vertx;

/** Builds the store that {@code store.type} names; kept apart from the wiring so each store's knobs stay here. */
final class Stores {
  private Stores() {
  }

  static Store create(Vertx vertx, JunctionConfig.StoreSettings settings) {
    if ("postgres".equals(settings.type())) {
      return PgStore.fromUrl(vertx, settings.url(), settings.poolSize(), settings.nodeId());
    }
    return new SqliteStore(settings.dataDir(), settings.synchronous(), 2);
  }

  /** The {@link Transfer} over the same store {@link #create} would open: what export reads and import loads. */
  static Transfer transfer(Vertx vertx, JunctionConfig.StoreSettings settings) {
    if ("postgres".equals(settings.type())) {
      return PgTransfer.fromUrl(vertx, settings.url());
    }
    return new SqliteTransfer(settings.dataDir(), settings.synchronous());
  }
}
