package dev.junction.app;

import dev.junction.api.ApiVerticle;
import dev.junction.config.JunctionConfig;
import dev.junction.session.EventHub;
import dev.junction.session.SessionService;
import dev.junction.store.Store;
import dev.junction.store.sqlite.SqliteStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

/** A running gateway: one Vert.x instance, one store, HTTP verticles on every event loop. */
public final class Junction {
  private final Vertx vertx;
  private final Store store;
  private final int port;

  private Junction(Vertx vertx, Store store, int port) {
    this.vertx = vertx;
    this.store = store;
    this.port = port;
  }

  /**
   * Starts a gateway. With port 0 the first verticle binds a free port and the others share it.
   *
   * @return the running gateway once it accepts requests
   */
  public static Future<Junction> start(JunctionConfig config, Clock clock) {
    if (config.apiKeys().isEmpty()) {
      return Future.failedFuture(new IllegalStateException("no API key is configured, so no client could call the gateway. "
          + "Add one: export JUNCTION_API_KEYS=<key>:<tenant> (for example JUNCTION_API_KEYS=dev-key:default), "
          + "or list keys under auth.api_keys in " + config.source()));
    }
    int loops = config.server().eventLoops() > 0 ? config.server().eventLoops() : Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
    Store store = new SqliteStore(config.store().dataDir(), config.store().synchronous(), 2);
    SessionService sessions = new SessionService(store, new EventHub(), clock);
    AtomicReference<ApiVerticle> first = new AtomicReference<>();
    return store.start()
        .compose(v -> {
          ApiVerticle v0 = new ApiVerticle(config, store, sessions, clock, config.server().port());
          first.set(v0);
          return vertx.deployVerticle(v0);
        })
        .compose(id -> {
          int bound = first.get().actualPort();
          if (loops == 1) {
            return Future.succeededFuture(bound);
          }
          return vertx.deployVerticle(() -> new ApiVerticle(config, store, sessions, clock, bound),
              new DeploymentOptions().setInstances(loops - 1)).map(bound);
        })
        .map(bound -> new Junction(vertx, store, bound))
        .recover(e -> store.close().transform(x -> vertx.close()).transform(x -> Future.failedFuture(e)));
  }

  public int port() {
    return port;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Stops accepting requests, then flushes and closes the store. */
  public Future<Void> close() {
    return vertx.close().transform(x -> store.close());
  }
}
