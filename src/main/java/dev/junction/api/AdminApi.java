package dev.junction.api;

import dev.junction.routing.RoutingCore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * Operator endpoints under {@code /admin}, behind admin keys: the targets with breaker state, cooldown
 * and observed stats; overrides (force-open, force-closed, reset); and a route-table reload that
 * swaps atomically or keeps the old table and says why.
 */
final class AdminApi {
  private static final Set<String> ACTIONS = Set.of("force-open", "force-closed", "reset");
  private final RoutingCore routing;

  AdminApi(RoutingCore routing) {
    this.routing = routing;
  }

  void mount(Router r) {
    r.get("/admin/targets").handler(ctx -> {
      // targets of the current table are listed before their first call, not only once traffic found them
      routing.tables().current().targets().values().forEach(t -> routing.registry().track(t.id()));
      json(ctx, routing.registry().toJson());
    });
    r.post("/admin/targets/:action").handler(this::override);
    r.post("/admin/reload").handler(this::reload);
  }

  private void override(RoutingContext ctx) {
    String action = ctx.pathParam("action");
    if (!ACTIONS.contains(action)) {
      throw ApiError.invalid("action: '" + action + "' is not one of " + new java.util.TreeSet<>(ACTIONS));
    }
    JsonObject body = Requests.body(ctx);
    Fields.onlyKnown(body, "", Set.of("target"));
    String target = Fields.requiredString(body, "", "target", 1, 512);
    if (!routing.registry().known(target)
        && routing.tables().current().targets().values().stream().noneMatch(t -> t.id().equals(target))) {
      throw new ApiError(404, "not_found_error", "target " + target + " is not known; GET /admin/targets lists them", null, null);
    }
    switch (action) {
      case "force-open" -> routing.registry().forceOpen(target);
      case "force-closed" -> routing.registry().forceClosed(target);
      default -> routing.registry().reset(target);
    }
    json(ctx, routing.registry().toJson());
  }

  private void reload(RoutingContext ctx) {
    routing.tables().reload(ctx.vertx()).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      JsonObject body = new JsonObject().put("swapped", ar.result().swapped())
          .put("problems", new JsonArray(new java.util.ArrayList<>(ar.result().problems())));
      if (!ar.result().swapped()) {
        ctx.response().setStatusCode(400);
      }
      json(ctx, body);
    });
  }

  private static void json(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("content-type", "application/json").end(body.toBuffer());
  }
}
