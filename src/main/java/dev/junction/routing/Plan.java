package dev.junction.routing;

import java.util.List;

/**
 * Where one call will go: the matched route, its strategy, the targets to try in order, and the
 * targets that were moved out of the way because they were open or cooling down.
 *
 * @param targets attempts in order; empty when the route fails fast
 * @param skipped unavailable targets, in route order, that the plan does not call
 * @param lastResort true when every target was unavailable and {@code targets} holds the one
 *     closest to reopening (its breaker is bypassed)
 */
public record Plan(Route route, List<Target> targets, List<Target> skipped, boolean lastResort) {
  public Plan {
    targets = List.copyOf(targets);
    skipped = List.copyOf(skipped);
  }

  public String routeName() {
    return route.name();
  }

  public Strategy strategy() {
    return route.strategy();
  }
}
