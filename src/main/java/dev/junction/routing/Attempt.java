package dev.junction.routing;

import dev.junction.provider.FailureClass;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * One attempt of a routed call.
 *
 * @param failureClass why it failed; null when it succeeded, was cancelled or rejected
 * @param latency from sending to its end (stream: to commit); zero when rejected
 * @param status the upstream HTTP status when there was one, else 0
 * @param hedge whether it was started as a hedge beside a slow first attempt
 * @param detail a short message for logs, may be null
 */
public record Attempt(Target target, AttemptResult result, FailureClass failureClass, Duration latency, int status,
    boolean hedge, String detail) {

  /** The shape used in {@code span.model_request_end.routing.attempts}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("target", target.name()).put("provider", target.provider())
        .put("model", target.model()).put("result", result.name().toLowerCase())
        .put("latency_ms", latency.toNanos() / 1_000_000.0);
    if (failureClass != null) {
      json.put("failure_class", failureClass.name().toLowerCase());
    }
    if (status > 0) {
      json.put("status", status);
    }
    if (hedge) {
      json.put("hedge", true);
    }
    return json;
  }
}
