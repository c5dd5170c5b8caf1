package dev.junction.harness;

import dev.junction.provider.Cost;
import dev.junction.provider.ModelResponse;
import io.vertx.core.json.JsonObject;

/**
 * A successful model call.
 *
 * @param response the canonical reply
 * @param cost     what it cost at the serving target's prices
 * @param routing  the additive {@code routing} object for {@code span.model_request_end}
 */
public record ModelResult(ModelResponse response, Cost cost, JsonObject routing) {
}
