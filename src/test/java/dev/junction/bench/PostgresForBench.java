package dev.junction.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

/**
 * A real PostgreSQL for the scale-out benchmark, from the same embedded binaries the tests use, so the
 * benchmark needs nothing installed. Prints {@code postgres on port N} once it accepts connections,
 * creates one empty database per name given, and stops PostgreSQL when the process is told to stop.
 *
 * <pre>java -cp ... dev.junction.bench.PostgresForBench db1 db2 ...</pre>
 */
public final class PostgresForBench {
  private PostgresForBench() {
  }

  public static void main(String[] args) throws Exception {
    EmbeddedPostgres postgres = EmbeddedPostgres.builder()
        .setServerConfig("max_connections", "300")
        .setServerConfig("shared_buffers", "256MB")
        .start();
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      for (String db : args) {
        s.execute("CREATE DATABASE " + db);
      }
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        postgres.close();
      } catch (Exception e) {
        e.printStackTrace();
      }
      stop.countDown();
    }));
    System.out.println("postgres on port " + postgres.getPort());
    System.out.flush();
    stop.await();
  }
}
