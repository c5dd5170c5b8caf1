package dev.junction.tools;

import dev.junction.tools.bwrap.BwrapSandbox;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A fake gateway data directory (a database file, a keys file, two sessions) and a real bwrap
 * sandbox over it. Tests that need a jail skip, with the probe's reason, only when bwrap cannot run.
 */
public final class JailFixture implements AutoCloseable {
  public static final String SECRET = "sk-ant-fixture-secret-4242";

  public final Vertx vertx = Vertx.vertx();
  public final Path dataDir;
  public final Path otherSessionFile;
  public final BwrapSandbox sandbox;
  public SandboxSession session;

  public JailFixture() throws Exception {
    dataDir = Files.createTempDirectory("junction-data-");
    Files.writeString(dataDir.resolve("junction.db"), "SQLite format 3 " + SECRET);
    Files.writeString(dataDir.resolve("keys"), "default:" + SECRET + "\n");
    Path other = dataDir.resolve("sessions/sesn_other/work");
    Files.createDirectories(other);
    otherSessionFile = other.resolve("file");
    Files.writeString(otherSessionFile, "other session's secret " + SECRET);
    sandbox = new BwrapSandbox(vertx);
  }

  /** Opens the jail of session {@code sesn_test}, or skips the test when bwrap cannot run here. */
  public SandboxSession open(boolean network, SandboxLimits limits) throws Exception {
    SandboxAvailability a = await(sandbox.available());
    Assumptions.assumeTrue(a.available(), "bubblewrap sandbox unavailable here: " + a.reason());
    session = await(sandbox.open(spec(network, limits)));
    return session;
  }

  public SandboxSpec spec(boolean network, SandboxLimits limits) {
    return new SandboxSpec("sesn_test", dataDir.resolve("sessions/sesn_test/work"),
        dataDir.resolve("sessions/sesn_test/outputs"), network, limits);
  }

  public Path work() {
    return dataDir.resolve("sessions/sesn_test/work");
  }

  public Path outputs() {
    return dataDir.resolve("sessions/sesn_test/outputs");
  }

  public static <T> T await(Future<T> f) throws Exception {
    return await(f, Duration.ofSeconds(60));
  }

  public static <T> T await(Future<T> f, Duration max) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(max.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws Exception {
    if (session != null) {
      await(session.close());
    }
    await(vertx.close());
    try (var paths = Files.walk(dataDir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
