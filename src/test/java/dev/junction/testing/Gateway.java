package dev.junction.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.junction.app.Junction;
import dev.junction.config.ConfigLoader;
import dev.junction.config.JunctionConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A gateway running in this JVM on a free port with its own data directory, for tests that talk HTTP
 * to it. Two tenants are configured: {@link #KEY} for tenant {@code tenant-a} and {@link #OTHER_KEY}
 * for tenant {@code tenant-b}.
 */
public final class Gateway implements AutoCloseable {
  public static final String KEY = "test-key-a";
  public static final String OTHER_KEY = "test-key-b";
  public static final String ADMIN_KEY = "test-admin-key";

  private final Junction junction;
  private final Path tempDir;
  private final Path dataDir;

  private Gateway(Junction junction, Path tempDir, Path dataDir) {
    this.junction = junction;
    this.tempDir = tempDir;
    this.dataDir = dataDir;
  }

  public static Gateway start() {
    return start(Map.of());
  }

  /** @param overrides extra YAML-tree settings, e.g. {@code stream.max_buffered_events} as "stream" → {...} */
  public static Gateway start(Map<String, Object> overrides) {
    return start(overrides, Map.of(), null);
  }

  /**
   * @param extraEnv environment the configuration's {@code env:NAME} references resolve against; a
   *                 {@code JUNCTION_DATA_DIR} here replaces the fresh one (and is left in place at close)
   * @param tools    the built-in toolset, or null for the default
   */
  public static Gateway start(Map<String, Object> overrides, Map<String, String> extraEnv,
                              dev.junction.harness.BuiltInTools tools) {
    return start(overrides, extraEnv, tools, Clock.systemUTC());
  }

  /** @param clock what the gateway's breakers, cooldowns and timestamps read (e.g. an {@link OffsetClock}) */
  public static Gateway start(Map<String, Object> overrides, Map<String, String> extraEnv,
                              dev.junction.harness.BuiltInTools tools, Clock clock) {
    try {
      Path dir = Files.createTempDirectory("junction-test");
      ObjectNode root = new ObjectMapper().valueToTree(overrides);
      if (!root.has("routes")) {
        root.put("routes", Path.of("routes").toAbsolutePath().toString());
      }
      if (!root.has("server")) {
        root.putObject("server").put("port", 0).put("host", "127.0.0.1").put("event_loops", 2);
      }
      Map<String, String> env = new java.util.HashMap<>(extraEnv);
      env.put("JUNCTION_API_KEYS", KEY + ":tenant-a," + OTHER_KEY + ":tenant-b");
      env.put("JUNCTION_ADMIN_KEYS", ADMIN_KEY);
      env.putIfAbsent("JUNCTION_DATA_DIR", dir.resolve("data").toString());
      JunctionConfig config = new ConfigLoader(env).fromTree("test", root, dir);
      Junction j = Junction.start(config, clock, tools).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      return new Gateway(j, dir, config.store().dataDir());
    } catch (Exception e) {
      throw new IllegalStateException("gateway did not start", e);
    }
  }

  public int port() {
    return junction.port();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  public Junction junction() {
    return junction;
  }

  /** Where the embedded store's {@code junction.db} lives. */
  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    try {
      junction.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("gateway did not stop", e);
    }
    try (Stream<Path> files = Files.walk(tempDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
