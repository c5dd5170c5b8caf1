package dev.junction.store;

import dev.junction.store.sqlite.SqliteStore;
import dev.junction.store.sqlite.SqliteTransfer;
import io.vertx.core.Vertx;

import java.nio.file.Files;
import java.nio.file.Path;

/** The transfer contract against the embedded store, each target in a fresh data directory. */
class SqliteTransferTest extends TransferContract {

  @Override
  protected Target createTarget(Vertx vertx, int pageSize) throws Exception {
    Path dir = Files.createTempDirectory("junction-transfer");
    return new Target(new SqliteStore(dir, "NORMAL", 2), new SqliteTransfer(dir, "NORMAL", pageSize));
  }
}
