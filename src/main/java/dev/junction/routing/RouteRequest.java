package dev.junction.routing;

import dev.junction.provider.CallOptions;
import dev.junction.provider.ModelRequest;
import java.util.Objects;

/**
 * One model call to route.
 *
 * @param request the canonical request; its model is replaced by each target's
 * @param options headers and the caller's cancellation; timeouts are the route's
 */
public record RouteRequest(SubTask task, Attributes attributes, ModelRequest request, CallOptions options) {
  public RouteRequest {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(request, "request");
    attributes = attributes == null ? Attributes.of(request) : attributes;
    options = options == null ? CallOptions.DEFAULT : options;
  }

  public static RouteRequest of(SubTask task, ModelRequest request) {
    return new RouteRequest(task, Attributes.of(request), request, CallOptions.DEFAULT);
  }
}
