/**
 * Routing owns the decision of where each model call goes and what happens when that place fails:
 * route tables loaded from {@code routes/*.yaml} ({@link dev.junction.routing.RouteTable},
 * {@link dev.junction.routing.RouteTables}), a pure {@link dev.junction.routing.Planner} that turns a
 * sub-task, its attributes and a {@link dev.junction.routing.Snapshot} of target health into an
 * ordered {@link dev.junction.routing.Plan}, one circuit breaker plus observed statistics and
 * cooldowns per target ({@link dev.junction.routing.TargetRegistry}), and the
 * {@link dev.junction.routing.FailoverExecutor} that runs attempts with timeouts, hedging and
 * failover before commit; {@link dev.junction.routing.RoutingCore} wires them for a gateway. It knows providers only through {@code dev.junction.provider} and
 * nothing of HTTP, sessions or storage.
 */
package dev.junction.routing;
