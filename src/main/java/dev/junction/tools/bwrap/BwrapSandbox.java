package dev.junction.tools.bwrap;

import dev.junction.tools.Sandbox;
import dev.junction.tools.SandboxAvailability;
import dev.junction.tools.SandboxLimits;
import dev.junction.tools.SandboxSession;
import dev.junction.tools.SandboxSpec;
import dev.junction.tools.SandboxUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link Sandbox} on bubblewrap. One instance serves every session of the gateway; it probes once
 * whether bwrap works here and owns the threads that do jailed process I/O (one per running
 * command, created on demand, so a thousand idle sessions cost no threads).
 */
public final class BwrapSandbox implements Sandbox {
  static final String NOT_INSTALLED =
      "bubblewrap (bwrap) is not installed; install the Debian package bubblewrap to run built-in tools";

  /** Often enough that a fork bomb is stopped long before it fills a default 32768-entry pid table. */
  private static final long WATCHDOG_PERIOD_MS = 250;

  private final Vertx vertx;
  private final String bwrap;
  private final ExecutorService io;
  private final ProcessWatchdog watchdog = new ProcessWatchdog();
  private Future<SandboxAvailability> availability;
  private volatile JailLayout layout;

  /** Uses the {@code bwrap} found on {@code PATH}. */
  public BwrapSandbox(Vertx vertx) {
    this(vertx, findOnPath("bwrap"));
  }

  /**
   * @param vertx the gateway's Vert.x (timers and contexts)
   * @param bwrap path of the bwrap executable, or null when there is none
   */
  public BwrapSandbox(Vertx vertx, String bwrap) {
    this.vertx = vertx;
    this.bwrap = bwrap;
    AtomicInteger n = new AtomicInteger();
    this.io = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "junction-jail-io-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    if (ProcessWatchdog.needed()) {
      vertx.setPeriodic(WATCHDOG_PERIOD_MS, id -> io.execute(watchdog::sweep));
    }
  }

  @Override
  public synchronized Future<SandboxAvailability> available() {
    if (availability == null) {
      availability = vertx.executeBlocking(this::probe, false).recover(err -> Future.succeededFuture(
          SandboxAvailability.unavailable("the bubblewrap probe failed: " + err)));
    }
    return availability;
  }

  @Override
  public Future<SandboxSession> open(SandboxSpec spec) {
    return available().compose(a -> {
      if (!a.available()) {
        return Future.failedFuture(new SandboxUnavailableException(a.reason()));
      }
      return vertx.executeBlocking(() -> {
        Files.createDirectories(spec.workDir());
        Files.createDirectories(spec.outputsDir());
        return (SandboxSession) new BwrapSession(vertx, spec, layout, io, watchdog);
      }, false);
    });
  }

  /** Runs {@code true} in a throwaway jail laid out exactly like a session's. */
  private SandboxAvailability probe() throws Exception {
    if (bwrap == null || !Files.isExecutable(Path.of(bwrap))) {
      return SandboxAvailability.unavailable(NOT_INSTALLED);
    }
    Path etc = Files.createTempDirectory("junction-jail-etc-");
    JailLayout.writeGeneratedEtc(etc);
    JailLayout candidate = new JailLayout(bwrap, etc, JailLayout.Features.fromHelp(help()));
    Path probeDir = Files.createTempDirectory("junction-jail-probe-");
    try {
      SandboxSpec spec = new SandboxSpec("probe", probeDir.resolve("work"), probeDir.resolve("outputs"), false,
          SandboxLimits.defaults());
      Files.createDirectories(spec.workDir());
      Files.createDirectories(spec.outputsDir());
      ProcessBuilder pb = new ProcessBuilder(candidate.argv(spec, List.of("/bin/true"))).redirectErrorStream(true);
      pb.environment().clear();
      Process p = pb.start();
      p.getOutputStream().close();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        ProcessTree.kill(p);
        return SandboxAvailability.unavailable("bubblewrap (bwrap) did not start a jail within 10 s");
      }
      String said = new String(p.getInputStream().readNBytes(2000), StandardCharsets.UTF_8).trim();
      if (p.exitValue() != 0) {
        return SandboxAvailability.unavailable("bubblewrap (bwrap) is installed but cannot create a jail here (exit "
            + p.exitValue() + (said.isEmpty() ? "" : ": " + said) + "); it needs user namespaces "
            + "(sysctl kernel.unprivileged_userns_clone=1 and user.max_user_namespaces > 0; in a container, "
            + "a seccomp/AppArmor profile that allows them)");
      }
      synchronized (this) {
        layout = candidate;
      }
      return SandboxAvailability.ok();
    } finally {
      deleteTree(probeDir);
    }
  }

  /** @return what {@code bwrap --help} prints, to learn which options this release has */
  private String help() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(bwrap, "--help").redirectErrorStream(true);
    pb.environment().clear();
    Process p = pb.start();
    p.getOutputStream().close();
    String text = new String(p.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      ProcessTree.kill(p);
    }
    return text;
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException ignored) {
      // A leftover empty temp directory is harmless.
    }
  }

  static String findOnPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
