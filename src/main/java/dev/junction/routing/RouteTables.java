package dev.junction.routing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The current route table, swapped atomically on reload. A reload reads and validates every file
 * before the swap, so a bad edit keeps the old table and reports why; a request that already
 * planned keeps the table it planned with (tables are immutable), so nothing in flight is dropped.
 */
public final class RouteTables implements Supplier<RouteTable> {
  private final Path dir;
  private final Set<String> providerNames;
  private final AtomicReference<RouteTable> current;

  private RouteTables(Path dir, Set<String> providerNames, RouteTable initial) {
    this.dir = dir;
    this.providerNames = Set.copyOf(providerNames);
    this.current = new AtomicReference<>(initial);
  }

  /**
   * Loads the directory (blocking: at startup, or from a worker).
   *
   * @throws RouteConfigException when the files have problems: a gateway must not start on a bad table
   */
  public static RouteTables load(Path dir, Set<String> providerNames) {
    return new RouteTables(dir, providerNames, YamlRouteTable.load(dir, providerNames));
  }

  /** A holder around a table built elsewhere; {@link #reloadNow()} still reads {@code dir}. */
  public static RouteTables of(Path dir, Set<String> providerNames, RouteTable initial) {
    return new RouteTables(dir, providerNames, initial);
  }

  @Override
  public RouteTable get() {
    return current.get();
  }

  public RouteTable current() {
    return current.get();
  }

  public Path dir() {
    return dir;
  }

  /** Reads, validates and swaps, on the calling thread (file IO: never on an event loop). */
  public ReloadResult reloadNow() {
    try {
      current.set(YamlRouteTable.load(dir, providerNames));
      return new ReloadResult(true, List.of());
    } catch (RouteConfigException e) {
      return new ReloadResult(false, e.problems());
    } catch (RuntimeException e) {
      return new ReloadResult(false, List.of(dir + ": " + e.getMessage()));
    }
  }

  /** {@link #reloadNow()} on a worker thread, for {@code POST /admin/reload} and the watcher. */
  public Future<ReloadResult> reload(Vertx vertx) {
    return vertx.executeBlocking(this::reloadNow, false);
  }
}
