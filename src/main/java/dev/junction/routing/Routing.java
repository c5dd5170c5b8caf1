package dev.junction.routing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What routing did for one call: the additive {@code routing} object of
 * {@code span.model_request_end} ({@link #toJson()}).
 *
 * @param chosen the target that answered, null when none did
 * @param skipped targets the plan moved out of the way (open or cooling down)
 */
public record Routing(String route, Strategy strategy, Target chosen, List<Attempt> attempts, List<Target> skipped,
    boolean lastResort) {
  public Routing {
    attempts = List.copyOf(attempts);
    skipped = List.copyOf(skipped);
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    attempts.forEach(a -> list.add(a.toJson()));
    JsonArray skip = new JsonArray();
    skipped.forEach(t -> skip.add(t.name()));
    JsonObject json = new JsonObject().put("route", route).put("strategy", strategy.configName()).put("attempts", list);
    if (chosen != null) {
      json.put("target", chosen.name()).put("provider", chosen.provider()).put("model", chosen.model());
    }
    if (!skipped.isEmpty()) {
      json.put("skipped", skip);
    }
    if (lastResort) {
      json.put("last_resort", true);
    }
    return json;
  }
}
