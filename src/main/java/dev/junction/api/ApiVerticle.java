package dev.junction.api;

import dev.junction.config.JunctionConfig;
import dev.junction.metrics.Metrics;
import dev.junction.routing.RoutingCore;
import dev.junction.session.SessionService;
import dev.junction.store.Ids;
import dev.junction.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Clock;

/** One HTTP server instance; several are deployed (one per event loop) and share the port. */
public final class ApiVerticle extends VerticleBase {
  /** What every verticle instance shares. */
  public record Services(JunctionConfig config, Store store, SessionService sessions, RoutingCore routing, Metrics metrics,
                         Clock clock) {
  }

  private final JunctionConfig config;
  private final Store store;
  private final SessionService sessions;
  private final RoutingCore routing;
  private final Metrics metrics;
  private final Clock clock;
  private final int port;
  private HttpServer server;

  public ApiVerticle(Services s, int port) {
    this.config = s.config();
    this.store = s.store();
    this.sessions = s.sessions();
    this.routing = s.routing();
    this.metrics = s.metrics();
    this.clock = s.clock();
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    ErrorMapper errors = new ErrorMapper();
    router.route().handler(ctx -> {
      String rid = Ids.nextUnguarded("req", clock.millis());
      ctx.put("request_id", rid);
      ctx.response().putHeader("request-id", rid);
      ctx.next();
    });
    router.get("/health").handler(ctx -> ctx.response().putHeader("content-type", "application/json")
        .end(new JsonObject().put("status", "ok").toBuffer()));
    router.get("/metrics").handler(ctx -> ctx.response().putHeader("content-type", Metrics.CONTENT_TYPE).end(
        io.vertx.core.buffer.Buffer.buffer(metrics.scrape())));
    router.route("/admin/*").handler(new Auth(config.adminKeys(), "admin"));
    router.route("/admin/*").handler(BodyHandler.create(false).setBodyLimit(1024 * 1024));
    new AdminApi(routing).mount(router);
    router.route("/v1/*").handler(new Auth(config.apiKeys(), "API"));
    router.route("/v1/*").handler(BodyHandler.create(false).setBodyLimit(config.server().maxBodyBytes()));
    // first: the router tries routes in order, and the proxy's are the busiest (the others' paths
    // have parameters, each a regular expression to try); no path of one matches another's
    new ProxyApi(routing, metrics, clock).mount(router);
    new AgentsApi(store, clock).mount(router);
    new EnvironmentsApi(store, clock).mount(router);
    new SessionsApi(store, sessions, clock).mount(router);
    new EventsApi(vertx, store, sessions, config.stream(), clock).mount(router);
    router.route().failureHandler(errors);
    for (int status : new int[] {400, 401, 404, 405, 413, 500}) {
      router.errorHandler(status, errors);
    }
    server = vertx.createHttpServer(new HttpServerOptions().setHost(config.server().host()).setPort(port)
        .setCompressionSupported(false).setTcpNoDelay(true));
    return server.requestHandler(router).listen();
  }

  public int actualPort() {
    return server.actualPort();
  }
}
