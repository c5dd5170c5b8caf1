package dev.junction.routing;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One rule of a route table: when it matches, the call goes to its targets in strategy order.
 *
 * @param file the file it came from, for messages
 * @param priority higher is tried first; ties keep file name and position order
 * @param targets target names, {@link #REQUESTED} for the caller's model at its native provider
 * @param weights per target name, for {@link Strategy#WEIGHTED} (missing names weigh 1)
 * @param expectedOutputTokens what {@link Strategy#CHEAPEST} assumes the reply costs
 */
public record Route(String name, String file, int priority, Match when, List<String> targets, Strategy strategy,
    Map<String, Integer> weights, long expectedOutputTokens, RouteTimeouts timeouts, HedgeSettings hedge,
    LastResort lastResort) {

  /** The target name that stands for the model the caller asked for. */
  public static final String REQUESTED = "requested";

  public Route {
    Objects.requireNonNull(name, "name");
    targets = List.copyOf(targets);
    weights = Map.copyOf(weights);
    strategy = strategy == null ? Strategy.ORDERED : strategy;
    timeouts = timeouts == null ? RouteTimeouts.DEFAULTS : timeouts;
    hedge = hedge == null ? HedgeSettings.OFF : hedge;
    lastResort = lastResort == null ? LastResort.CLOSEST : lastResort;
  }
}
