package dev.junction.api;

import dev.junction.routing.Glob;
import dev.junction.routing.Match;
import dev.junction.routing.Route;
import dev.junction.routing.RouteTable;
import dev.junction.routing.RoutingCore;
import dev.junction.routing.SubTask;
import dev.junction.routing.Target;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v1/models}: the models a tenant can reach through the proxy, i.e. the named targets
 * of every route that applies to the {@code proxy} sub-task and the tenant, whose provider is
 * configured. Anthropic clients get Anthropic's list shape; a client that authenticates with
 * {@code Authorization: Bearer} and sends no {@code anthropic-version} is an OpenAI client and gets
 * OpenAI's. {@code created_at} is when this gateway started: targets have no age of their own.
 */
final class ModelsHandler implements Handler<RoutingContext> {
  private final RoutingCore routing;
  private final Instant started;

  ModelsHandler(RoutingCore routing, Instant started) {
    this.routing = routing;
    this.started = started;
  }

  static boolean openAiClient(RoutingContext ctx) {
    String authz = ctx.request().getHeader("authorization");
    return authz != null && authz.regionMatches(true, 0, "Bearer ", 0, 7)
        && ctx.request().getHeader("anthropic-version") == null;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Map<String, Target> models = usable(routing.tables().current(), ctx.get(Auth.TENANT));
    JsonObject body = openAiClient(ctx) ? openAi(models) : anthropic(models);
    ctx.response().putHeader("content-type", "application/json").end(body.toBuffer());
  }

  /** Model id → the first target serving it, in route order. */
  private Map<String, Target> usable(RouteTable table, String tenant) {
    Map<String, Target> out = new LinkedHashMap<>();
    for (Route route : table.routes()) {
      if (!applies(route.when(), tenant)) {
        continue;
      }
      for (String name : route.targets()) {
        Target target = table.targets().get(name);
        if (target != null && routing.providers().names().contains(target.provider())) {
          out.putIfAbsent(target.model(), target);
        }
      }
    }
    return out;
  }

  private static boolean applies(Match when, String tenant) {
    if (!when.tasks().isEmpty() && !when.tasks().contains(SubTask.PROXY)) {
      return false;
    }
    if (when.tenants().isEmpty()) {
      return true;
    }
    for (Glob glob : when.tenants()) {
      if (glob.matches(tenant)) {
        return true;
      }
    }
    return false;
  }

  private JsonObject anthropic(Map<String, Target> models) {
    JsonArray data = new JsonArray();
    models.forEach((id, target) -> data.add(new JsonObject().put("type", "model").put("id", id)
        .put("display_name", target.name() + " (" + target.provider() + ")").put("created_at", started.toString())));
    String first = models.isEmpty() ? null : models.keySet().iterator().next();
    String last = null;
    for (String id : models.keySet()) {
      last = id;
    }
    return new JsonObject().put("data", data).put("has_more", false).put("first_id", first).put("last_id", last);
  }

  private JsonObject openAi(Map<String, Target> models) {
    JsonArray data = new JsonArray();
    models.forEach((id, target) -> data.add(new JsonObject().put("id", id).put("object", "model")
        .put("created", started.getEpochSecond()).put("owned_by", target.provider())));
    return new JsonObject().put("object", "list").put("data", data);
  }
}
