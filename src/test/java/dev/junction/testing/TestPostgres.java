package dev.junction.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;

/** Fresh databases on an embedded PostgreSQL, so tests sharing one server never see each other's rows. */
public final class TestPostgres {
  private TestPostgres() {
  }

  /** Creates an empty database and returns its {@code postgresql://} URL. */
  public static String freshDatabaseUrl(EmbeddedPostgres postgres) throws Exception {
    String db = "junction_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + db);
    }
    return "postgresql://postgres@localhost:" + postgres.getPort() + "/" + db;
  }
}
