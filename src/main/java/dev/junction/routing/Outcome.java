package dev.junction.routing;

import io.vertx.core.Future;

/**
 * A routed call that succeeded.
 *
 * @param value the reply, or the committed stream (already observed: reading it records the
 *     stream's end, usage and cost in the registry and metrics). Read a stream to its end or
 *     {@code cancel()} it: until it ends its target counts it in flight, and a half-open probe
 *     keeps its slot
 * @param routing route, strategy, chosen target and every attempt
 * @param completion completes when the value has been fully read: at once for a reply, at the end
 *     for a stream; never fails
 */
public record Outcome<T>(T value, Routing routing, Future<Completion> completion) {
}
