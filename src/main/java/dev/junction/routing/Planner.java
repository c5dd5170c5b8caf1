package dev.junction.routing;

import dev.junction.provider.Pricing;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The pure routing decision: a route, the attributes and a health snapshot in, an ordered plan
 * out. Unavailable targets (open, forced open, cooling down) are moved out of the way before the
 * strategy orders the rest, so a request routed around an open breaker never waits on it.
 */
public final class Planner {
  private Planner() {
  }

  public static Plan plan(Route route, Map<String, Target> named, NativeProviders natives, Attributes attributes,
      Snapshot snapshot, RandomGenerator random) {
    List<Target> available = new ArrayList<>(route.targets().size());
    List<Target> skipped = new ArrayList<>(0);
    Set<String> seen = new HashSet<>();
    Instant now = snapshot.now();
    for (String name : route.targets()) {
      Target target = Route.REQUESTED.equals(name) ? natives.requested(attributes.requestedModel()) : named.get(name);
      // unresolvable (optional target of an unconfigured provider, unknown model family) or a
      // duplicate of an earlier entry: a second attempt at the same place teaches nothing
      if (target == null || !seen.add(target.id())) {
        continue;
      }
      if (snapshot.state(target.id()).available(now)) {
        available.add(target);
      } else {
        skipped.add(target);
      }
    }
    if (!available.isEmpty()) {
      return new Plan(route, order(route, available, attributes, snapshot, random), skipped, false);
    }
    return switch (route.lastResort()) {
      case FAIL_FAST -> new Plan(route, List.of(), skipped, false);
      case CLOSEST -> closest(route, skipped, snapshot);
    };
  }

  private static Plan closest(Route route, List<Target> skipped, Snapshot snapshot) {
    Target best = null;
    Instant bestAt = null;
    for (Target target : skipped) {
      Instant at = snapshot.state(target.id()).reopensAt();
      if (at != null && (bestAt == null || at.isBefore(bestAt))) {
        best = target;
        bestAt = at;
      }
    }
    if (best == null) {
      return new Plan(route, List.of(), skipped, false);
    }
    List<Target> rest = new ArrayList<>(skipped);
    rest.remove(best);
    return new Plan(route, List.of(best), rest, true);
  }

  static List<Target> order(Route route, List<Target> targets, Attributes attributes, Snapshot snapshot,
      RandomGenerator random) {
    if (targets.size() < 2) {
      return targets;
    }
    return switch (route.strategy()) {
      case ORDERED -> targets;
      case WEIGHTED -> weighted(route, targets, random);
      case FASTEST -> sorted(targets, Comparator.comparingDouble(t -> latencyKey(snapshot, t)));
      case CHEAPEST -> sorted(targets, Comparator.comparingDouble(t -> costKey(route, attributes, snapshot, t)));
    };
  }

  private static List<Target> sorted(List<Target> targets, Comparator<Target> comparator) {
    List<Target> copy = new ArrayList<>(targets);
    copy.sort(comparator); // stable: ties keep route order
    return copy;
  }

  private static double latencyKey(Snapshot snapshot, Target target) {
    double latency = snapshot.state(target.id()).stats().latencyMillis();
    // unmeasured first: the only way a new or recovered target earns a latency is to be tried
    return Double.isNaN(latency) ? Double.NEGATIVE_INFINITY : latency;
  }

  private static double costKey(Route route, Attributes attributes, Snapshot snapshot, Target target) {
    Pricing price = snapshot.prices().price(target.provider(), target.model());
    if (price == null) {
      return Double.POSITIVE_INFINITY;
    }
    BigDecimal cost = price.input().multiply(BigDecimal.valueOf(attributes.estimatedInputTokens()))
        .add(price.output().multiply(BigDecimal.valueOf(route.expectedOutputTokens())));
    return cost.doubleValue();
  }

  private static List<Target> weighted(Route route, List<Target> targets, RandomGenerator random) {
    List<Target> pool = new ArrayList<>(targets);
    List<Target> out = new ArrayList<>(targets.size());
    while (!pool.isEmpty()) {
      long total = 0;
      for (Target t : pool) {
        total += weight(route, t);
      }
      if (total <= 0) {
        out.addAll(pool);
        break;
      }
      long pick = random.nextLong(total);
      for (int i = 0; i < pool.size(); i++) {
        pick -= weight(route, pool.get(i));
        if (pick < 0) {
          out.add(pool.remove(i));
          break;
        }
      }
    }
    return out;
  }

  private static int weight(Route route, Target target) {
    return route.weights().getOrDefault(target.name(), 1);
  }
}
