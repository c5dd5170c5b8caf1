package dev.junction.app;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.junction.api.ApiVerticle;
import dev.junction.config.JunctionConfig;
import dev.junction.harness.BuiltInTools;
import dev.junction.harness.Harness;
import dev.junction.harness.HarnessSettings;
import dev.junction.harness.RoutedModelGateway;
import dev.junction.harness.SandboxedTools;
import dev.junction.harness.TurnTimings;
import dev.junction.metrics.Metrics;
import dev.junction.provider.ProviderClient;
import dev.junction.provider.ProviderClients;
import dev.junction.provider.ProviderConfig;
import dev.junction.provider.ProviderConfigs;
import dev.junction.provider.ProviderSet;
import dev.junction.routing.RoutingCore;
import dev.junction.session.EventHub;
import dev.junction.session.SessionService;
import dev.junction.store.Store;
import dev.junction.tools.SandboxLimits;
import dev.junction.tools.WebFetchPolicy;
import dev.junction.tools.WebFetcher;
import dev.junction.tools.bwrap.BwrapSandbox;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A running gateway: one Vert.x instance, one store, the agent loop, routing, HTTP verticles on every event loop. */
public final class Junction {
  private static final Logger LOG = LoggerFactory.getLogger(Junction.class);

  private final Vertx vertx;
  private final Store store;
  private final SessionService sessions;
  private final Harness harness;
  private final RoutingCore routing;
  private final int port;

  private Junction(Vertx vertx, Store store, SessionService sessions, Harness harness, RoutingCore routing, int port) {
    this.vertx = vertx;
    this.store = store;
    this.sessions = sessions;
    this.harness = harness;
    this.routing = routing;
    this.port = port;
  }

  public static Future<Junction> start(JunctionConfig config, Clock clock) {
    return start(config, clock, null);
  }

  /**
   * Starts a gateway. With port 0 every verticle shares one free port.
   *
   * @param builtIns the built-in toolset, or null for the bubblewrap sandbox under the data directory
   * @return the running gateway once it accepts requests
   */
  public static Future<Junction> start(JunctionConfig config, Clock clock, BuiltInTools builtIns) {
    if (config.apiKeys().isEmpty()) {
      return Future.failedFuture(new IllegalStateException("no API key is configured, so no client could call the gateway. "
          + "Add one: export JUNCTION_API_KEYS=<key>:<tenant> (for example JUNCTION_API_KEYS=dev-key:default), "
          + "or list keys under auth.api_keys in " + config.source()));
    }
    int loops = config.server().eventLoops() > 0 ? config.server().eventLoops() : Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
    Store store = Stores.create(vertx, config.store());
    SessionService sessions = new SessionService(store, new EventHub(), clock);
    Metrics metrics = Metrics.create();
    ProviderSet providerSet = ProviderConfigs.parse(config.providers(), config.env());
    providerSet.disabled().forEach((name, why) -> LOG.warn("provider {} is disabled: {}", name, why));
    Map<String, ProviderClient> clients = new LinkedHashMap<>();
    for (ProviderConfig p : providerSet.providers()) {
      clients.put(p.name(), ProviderClients.create(vertx, p, clock));
    }
    RoutingCore routing;
    try {
      routing = RoutingCore.create(vertx, config.routesDir(), clients, clock, Ticker.systemTicker(), metrics);
    } catch (RuntimeException e) {
      vertx.close();
      return Future.failedFuture(e);
    }
    SandboxedTools sandboxed = builtIns == null ? new SandboxedTools(vertx, new BwrapSandbox(vertx), config.store().dataDir(),
        SandboxLimits.defaults(), new WebFetcher(vertx, WebFetchPolicy.defaults())) : null;
    BuiltInTools tools = builtIns != null ? builtIns : sandboxed;
    Harness harness = new Harness(vertx, store, sessions, new RoutedModelGateway(routing.executor()), tools, clock,
        new HarnessSettings(config.harness().maxTokens(), config.harness().maxRetries(),
            Duration.ofMillis(config.harness().retryBaseMs()), Duration.ofMillis(config.harness().retryMaxMs()),
            HarnessSettings.DEFAULTS.compactAtFraction(), config.harness().compactAtTokens(),
            Duration.ofMillis(config.store().leaseTtlMs())));
    harness.register(metrics);
    sessions.hub().register(metrics);
    ApiVerticle.Services services = new ApiVerticle.Services(config, store, sessions, routing, metrics, clock);
    List<ApiVerticle> verticles = new CopyOnWriteArrayList<>();
    Future<?> probed = sandboxed == null ? Future.succeededFuture() : sandboxed.probe().onSuccess(a -> {
      if (!a.available()) {
        LOG.warn("built-in tools are unavailable: {}", a.reason());
      }
    });
    return store.start()
        .compose(v -> probed)
        // Vert.x shares one listening socket among verticles bound to the same port (port 0 included).
        .compose(v -> vertx.deployVerticle(() -> {
          ApiVerticle verticle = new ApiVerticle(services, config.server().port());
          verticles.add(verticle);
          return verticle;
        }, new DeploymentOptions().setInstances(loops)))
        .map(id -> verticles.get(0).actualPort())
        .compose(port -> routing.watch(Duration.ofSeconds(2), r -> LOG.info("routes: {}", r)).map(port))
        .compose(port -> harness.recover().map(n -> port))
        .onSuccess(port -> harness.keepLeases())
        .map(bound -> new Junction(vertx, store, sessions, harness, routing, bound))
        .recover(e -> store.close().transform(x -> vertx.close()).transform(x -> Future.failedFuture(e)));
  }

  public int port() {
    return port;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Gateway-side time of the agent loop, for benchmarks. */
  public TurnTimings harnessTimings() {
    return harness.timings();
  }

  public RoutingCore routing() {
    return routing;
  }

  /** Live event-stream subscribers across all sessions. */
  public int openStreams() {
    return sessions.hub().subscriberCount();
  }

  /** Stops accepting requests, then flushes and closes the store. */
  public Future<Void> close() {
    return harness.close().transform(x -> {
      routing.close();
      return vertx.close();
    }).transform(x -> store.close());
  }
}
