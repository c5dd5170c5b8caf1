package dev.junction.routing;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.junction.metrics.Metrics;
import dev.junction.provider.ProviderClient;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The routing layer wired for a gateway: the route tables of a directory, one registry of target
 * health, the provider directory and the executor, all sharing one clock and one metrics registry.
 * Breaker settings come from the table current when a target is first seen.
 */
public final class RoutingCore {
  private final Vertx vertx;
  private final RouteTables tables;
  private final TargetRegistry registry;
  private final ProviderDirectory providers;
  private final FailoverExecutor executor;
  private RouteWatcher watcher;

  private RoutingCore(Vertx vertx, RouteTables tables, TargetRegistry registry, ProviderDirectory providers,
      FailoverExecutor executor) {
    this.vertx = vertx;
    this.tables = tables;
    this.registry = registry;
    this.providers = providers;
    this.executor = executor;
  }

  /**
   * Loads {@code routesDir} (blocking: call at startup or from a worker).
   *
   * @param clients the configured providers by name
   * @param metrics may be null
   * @throws RouteConfigException when the route files have problems
   */
  public static RoutingCore create(Vertx vertx, Path routesDir, Map<String, ProviderClient> clients, Clock clock,
      Ticker ticker, Metrics metrics) {
    ProviderDirectory providers = new ProviderDirectory(clients, vertx, clock);
    RouteTables tables = RouteTables.load(routesDir, providers.names());
    TargetRegistry registry = new TargetRegistry(clock, id -> tables.current().breakerSettings(id),
        providers.prices(), metrics);
    FailoverExecutor executor = new FailoverExecutor(vertx, tables, registry, providers, metrics, ticker);
    return new RoutingCore(vertx, tables, registry, providers, executor);
  }

  public RouteTables tables() {
    return tables;
  }

  public TargetRegistry registry() {
    return registry;
  }

  public ProviderDirectory providers() {
    return providers;
  }

  public FailoverExecutor executor() {
    return executor;
  }

  /** Reloads the tables whenever a route file changes; {@code onReload} hears every attempt. */
  public Future<Void> watch(Duration every, Handler<ReloadResult> onReload) {
    if (watcher != null) {
      watcher.stop();
    }
    watcher = new RouteWatcher(vertx, tables, onReload);
    return watcher.start(every);
  }

  /** Stops watching; the provider clients belong to the caller and stay open. */
  public void close() {
    if (watcher != null) {
      watcher.stop();
      watcher = null;
    }
  }
}
