package dev.junction.routing;

import java.time.Instant;
import java.util.Map;

/**
 * An immutable view of every target's health, taken once per request so that planning is a pure
 * function of it. Targets it does not know are healthy and unmeasured.
 *
 * @param now the instant the snapshot was taken, from the registry's clock
 * @param targets by {@link Target#id()}
 */
public record Snapshot(Instant now, Map<String, TargetState> targets, PriceLookup prices) {
  public Snapshot {
    targets = Map.copyOf(targets);
    prices = prices == null ? PriceLookup.NONE : prices;
  }

  public static Snapshot empty(Instant now) {
    return new Snapshot(now, Map.of(), PriceLookup.NONE);
  }

  public TargetState state(String targetId) {
    return targets.getOrDefault(targetId, TargetState.HEALTHY);
  }
}
