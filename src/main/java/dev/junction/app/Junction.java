package dev.junction.app;

import dev.junction.api.ApiVerticle;
import dev.junction.config.JunctionConfig;
import dev.junction.harness.BuiltInTools;
import dev.junction.harness.DirectModelGateway;
import dev.junction.harness.Harness;
import dev.junction.harness.HarnessSettings;
import dev.junction.provider.ProviderClient;
import dev.junction.provider.ProviderClients;
import dev.junction.provider.ProviderConfig;
import dev.junction.provider.ProviderConfigs;
import dev.junction.session.EventHub;
import dev.junction.session.SessionService;
import dev.junction.store.Store;
import dev.junction.store.sqlite.SqliteStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A running gateway: one Vert.x instance, one store, HTTP verticles on every event loop. */
public final class Junction {
  private final Vertx vertx;
  private final Store store;
  private final SessionService sessions;
  private final Harness harness;
  private final int port;

  private Junction(Vertx vertx, Store store, SessionService sessions, Harness harness, int port) {
    this.vertx = vertx;
    this.store = store;
    this.sessions = sessions;
    this.harness = harness;
    this.port = port;
  }

  /**
   * Starts a gateway. With port 0 the first verticle binds a free port and the others share it.
   *
   * @return the running gateway once it accepts requests
   */
  public static Future<Junction> start(JunctionConfig config, Clock clock) {
    return start(config, clock, null);
  }

  /**
   * Starts a gateway with a given built-in toolset (tests and embedders); null picks the bubblewrap one.
   */
  public static Future<Junction> start(JunctionConfig config, Clock clock, BuiltInTools builtIns) {
    if (config.apiKeys().isEmpty()) {
      return Future.failedFuture(new IllegalStateException("no API key is configured, so no client could call the gateway. "
          + "Add one: export JUNCTION_API_KEYS=<key>:<tenant> (for example JUNCTION_API_KEYS=dev-key:default), "
          + "or list keys under auth.api_keys in " + config.source()));
    }
    int loops = config.server().eventLoops() > 0 ? config.server().eventLoops() : Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
    BuiltInTools tools = builtIns != null ? builtIns : Unsandboxed.INSTANCE;
    Store store = new SqliteStore(config.store().dataDir(), config.store().synchronous(), 2);
    SessionService sessions = new SessionService(store, new EventHub(), clock);
    List<ProviderClient> providers = new ArrayList<>();
    for (ProviderConfig p : ProviderConfigs.parse(config.providers(), config.env()).providers()) {
      providers.add(ProviderClients.create(vertx, p, clock));
    }
    Harness harness = new Harness(vertx, store, sessions, new DirectModelGateway(providers), tools,
        clock, new HarnessSettings(config.harness().maxTokens(), config.harness().maxRetries(),
            java.time.Duration.ofMillis(config.harness().retryBaseMs()), java.time.Duration.ofMillis(config.harness().retryMaxMs()),
            HarnessSettings.DEFAULTS.compactAtFraction(), config.harness().compactAtTokens()));
    List<ApiVerticle> verticles = new CopyOnWriteArrayList<>();
    // Vert.x shares one listening socket among verticles bound to the same port (port 0 included).
    return store.start()
        .compose(v -> vertx.deployVerticle(() -> {
          ApiVerticle verticle = new ApiVerticle(config, store, sessions, clock, config.server().port());
          verticles.add(verticle);
          return verticle;
        }, new DeploymentOptions().setInstances(loops)))
        .map(id -> verticles.get(0).actualPort())
        .compose(port -> harness.recover().map(n -> port))
        .map(bound -> new Junction(vertx, store, sessions, harness, bound))
        .recover(e -> store.close().transform(x -> vertx.close()).transform(x -> Future.failedFuture(e)));
  }

  public int port() {
    return port;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Gateway-side time of the agent loop, for benchmarks. */
  public dev.junction.harness.TurnTimings harnessTimings() {
    return harness.timings();
  }

  /** Live event-stream subscribers across all sessions. */
  public int openStreams() {
    return sessions.hub().subscriberCount();
  }

  /** Stops accepting requests, then flushes and closes the store. */
  public Future<Void> close() {
    return vertx.close().transform(x -> store.close());
  }
}
