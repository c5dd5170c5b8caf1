package dev.junction.routing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * An immutable set of targets and routes. Planning is pure: the same sub-task, attributes,
 * snapshot and random source always give the same plan. A table never changes; a reload swaps in
 * a new one ({@link RouteTables}), and a request keeps the table it planned with.
 */
public interface RouteTable {

  /** Routes in evaluation order (priority, then file, then position); the first match wins. */
  List<Route> routes();

  /** Named targets, usable in {@code try}. */
  Map<String, Target> targets();

  NativeProviders natives();

  /** The first route matching, or a built-in {@code requested} route when none does. */
  Route route(SubTask task, Attributes attributes);

  /** Breaker settings for a target id, from the first named target with that id, else defaults. */
  BreakerSettings breakerSettings(String targetId);

  /**
   * @param random used by {@link Strategy#WEIGHTED} only; pass a seeded one for repeatable plans
   * @return the plan; its target list is empty when nothing can be called
   */
  default Plan plan(SubTask task, Attributes attributes, Snapshot snapshot, RandomGenerator random) {
    return Planner.plan(route(task, attributes), targets(), natives(), attributes, snapshot, random);
  }

  default Plan plan(SubTask task, Attributes attributes, Snapshot snapshot) {
    return plan(task, attributes, snapshot, ThreadLocalRandom.current());
  }
}
