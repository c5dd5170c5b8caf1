package dev.junction.harness;

import dev.junction.routing.SubTask;

import io.vertx.core.Future;

/**
 * How the harness reaches models. The routing layer implements it with policy, breakers and
 * failover; the harness neither knows nor cares which provider answers.
 */
public interface ModelGateway {

  /**
   * Makes one call.
   *
   * @return the result, or a failed future with {@link ModelCallException}
   */
  Future<ModelResult> call(ModelCall call);

  /** Whether a model can be reached for this sub-task at all (e.g. a judge for the {@code auto} policy). */
  default boolean available(SubTask subTask) {
    return true;
  }
}
