package dev.junction.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code store:} selects SQLite or PostgreSQL; {@code JUNCTION_DATABASE_URL} selects PostgreSQL from outside. */
class StoreSettingsConfigTest {
  private static final String URL = "postgresql://junction:secret@db.internal:5432/junction";

  @TempDir
  Path dir;

  private JunctionConfig.StoreSettings load(String store, Map<String, String> env) throws Exception {
    Path file = dir.resolve("junction.yaml");
    Files.writeString(file, store);
    return new ConfigLoader(env).load(file).store();
  }

  @Test
  void sqliteIsTheDefault() throws Exception {
    JunctionConfig.StoreSettings s = load("server: { port: 0 }\n", Map.of());
    assertEquals("sqlite", s.type());
    assertNull(s.url());
  }

  @Test
  void postgresTakesItsUrlFromTheFileOrAnEnvReference() throws Exception {
    JunctionConfig.StoreSettings s = load("store: { type: postgres, url: \"" + URL + "\", pool_size: 4 }\n", Map.of());
    assertEquals("postgres", s.type());
    assertEquals(URL, s.url());
    assertEquals(4, s.poolSize());
    JunctionConfig.StoreSettings ref = load("store: { type: postgres, url: env:PG_URL }\n", Map.of("PG_URL", URL));
    assertEquals(URL, ref.url());
    assertEquals(8, ref.poolSize());
  }

  @Test
  void theEnvironmentUrlSelectsPostgres() throws Exception {
    JunctionConfig.StoreSettings s = load("store: { type: sqlite }\n", Map.of("JUNCTION_DATABASE_URL", URL));
    assertEquals("postgres", s.type());
    assertEquals(URL, s.url());
  }

  @Test
  void postgresWithoutAUsableUrlIsRefused() {
    ConfigException missing = assertThrows(ConfigException.class, () -> load("store: { type: postgres }\n", Map.of()));
    assertTrue(missing.getMessage().contains("store.url"), missing.getMessage());
    assertThrows(ConfigException.class, () -> load("store: { type: postgres, url: \"mysql://x/y\" }\n", Map.of()));
    assertThrows(ConfigException.class, () -> load("store: { type: mongo }\n", Map.of()));
  }
}
