package dev.junction.routing;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reloads the route tables when a route file changes: a Vert.x periodic timer stats the files'
 * modification times on a worker (never on the event loop) and reloads when the set of files or
 * any mtime differs from the last look. Polling, rather than a WatchService, works the same on
 * every file system, including bind mounts and ConfigMap volumes that swap a symlink.
 */
public final class RouteWatcher {
  private final Vertx vertx;
  private final RouteTables tables;
  private final Handler<ReloadResult> onReload;
  private long timer = -1;
  private volatile Map<String, Long> lastSeen; // written on workers, one poll at a time
  private boolean busy;

  /** @param onReload told of every reload the watcher triggers, swapped or refused (for logs) */
  public RouteWatcher(Vertx vertx, RouteTables tables, Handler<ReloadResult> onReload) {
    this.vertx = vertx;
    this.tables = tables;
    this.onReload = onReload;
  }

  /** Starts polling; the first look only records what is there. */
  public Future<Void> start(Duration every) {
    return vertx.executeBlocking(this::stat, false).map(seen -> {
      lastSeen = seen;
      timer = vertx.setPeriodic(Math.max(10, every.toMillis()), id -> poll());
      return null;
    });
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void poll() {
    if (busy) {
      return; // a slow disk must not stack up polls
    }
    busy = true;
    vertx.executeBlocking(() -> {
      Map<String, Long> seen = stat();
      if (seen.equals(lastSeen)) {
        return null;
      }
      lastSeen = seen;
      return tables.reloadNow();
    }, false).onComplete(ar -> {
      busy = false;
      if (ar.succeeded() && ar.result() != null && onReload != null) {
        onReload.handle(ar.result());
      }
    });
  }

  private Map<String, Long> stat() throws IOException {
    Map<String, Long> out = new TreeMap<>();
    Path dir = tables.dir();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(YamlRouteTable::isRouteFile).toList()) {
        out.put(file.getFileName().toString(), Files.getLastModifiedTime(file).toMillis() ^ Files.size(file) << 40);
      }
    }
    return out;
  }
}
