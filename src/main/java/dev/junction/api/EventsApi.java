package dev.junction.api;

import dev.junction.config.JunctionConfig;
import dev.junction.session.SessionService;
import dev.junction.store.ListQuery;
import dev.junction.store.Store;
import dev.junction.store.StoredEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.util.List;
import java.util.Set;

/** {@code /v1/sessions/{id}/events}: send, list, and the SSE stream. */
final class EventsApi {
  private static final Set<String> DELTA_TYPES = Set.of("agent.message", "agent.thinking");

  private final Vertx vertx;
  private final Store store;
  private final SessionService sessions;
  private final JunctionConfig.Stream settings;
  private final Clock clock;

  EventsApi(Vertx vertx, Store store, SessionService sessions, JunctionConfig.Stream settings, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.sessions = sessions;
    this.settings = settings;
    this.clock = clock;
  }

  void mount(Router r) {
    r.post("/v1/sessions/:id/events").handler(this::send);
    r.get("/v1/sessions/:id/events").handler(this::list);
    r.get("/v1/sessions/:id/events/stream").handler(this::stream);
  }

  private void send(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String tenant = AgentsApi.tenant(ctx);
    JsonObject body = Requests.body(ctx);
    Fields.onlyKnown(body, "", Set.of("events"));
    JsonArray events = Fields.optionalArray(body, "", "events", 1000);
    if (events == null) {
      throw ApiError.invalid("events: required");
    }
    long now = clock.millis();
    // Validation needs the environment type (user.tool_result is self-hosted only); the session is cached.
    store.session(tenant, id).compose(o -> {
      JsonObject session = o.orElseThrow(() -> ApiError.notFound("session", id));
      boolean selfHosted = "self_hosted".equals(session.getString("_environment_type"));
      List<JsonObject> parsed = EventParams.parse(events, "events", EventParams.CLIENT_TYPES, selfHosted, now);
      return sessions.send(tenant, id, parsed);
    }).map(o -> {
      // The store encoded each event once; the answer is built from that text rather than encoded again.
      StringBuilder data = new StringBuilder("{\"data\":[");
      List<StoredEvent> committed = o.orElseThrow(() -> ApiError.notFound("session", id)).events();
      for (int i = 0; i < committed.size(); i++) {
        data.append(i == 0 ? "" : ",").append(committed.get(i).jsonText());
      }
      return data.append("]}").toString();
    }).onComplete(ar -> Responses.jsonText(ctx, ar));
  }

  private void list(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    var params = ctx.queryParams();
    boolean desc = Requests.descending(params, false);
    List<String> types = Requests.array(params, "types");
    Requests.checkAllowed(EventParams.ALL_TYPES, types, "types");
    ListQuery q = new ListQuery(Requests.limit(params, 1000, 1000), desc, null, null, true,
        Requests.range(params, "created_at"), null, null, List.of(), types);
    store.listEvents(AgentsApi.tenant(ctx), id, Requests.paged(params, q))
        .map(o -> o.orElseThrow(() -> ApiError.notFound("session", id)))
        .onComplete(ar -> Responses.events(ctx, ar, desc));
  }

  private void stream(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String tenant = AgentsApi.tenant(ctx);
    List<String> deltas = Requests.array(ctx.queryParams(), "event_deltas");
    if (deltas.size() > 100) {
      throw ApiError.invalid("event_deltas[]: at most 100 values, got " + deltas.size());
    }
    for (String d : deltas) {
      if (!DELTA_TYPES.contains(d)) {
        throw ApiError.invalid("event_deltas[]: '" + d + "' is not one of " + new java.util.TreeSet<>(DELTA_TYPES));
      }
    }
    String lastEventId = ctx.request().getHeader("last-event-id");
    store.session(tenant, id).compose(o -> {
      o.orElseThrow(() -> ApiError.notFound("session", id));
      if (lastEventId == null || lastEventId.isBlank()) {
        return io.vertx.core.Future.succeededFuture(-1L);
      }
      // Resumption is an extension no official SDK uses; an unknown id is a clear 400, not a silent gap.
      return store.event(tenant, id, lastEventId.trim()).map(e -> e.map(StoredEvent::seq)
          .orElseThrow(() -> ApiError.invalid("Last-Event-ID: event " + lastEventId + " is not in session " + id)));
    }).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      new SseStream(vertx, ctx, id, sessions.hub(), store, settings, Set.copyOf(deltas)).open(ar.result());
    });
  }
}
