package dev.junction.routing;

import dev.junction.provider.Pricing;

/** Prices the {@link Strategy#CHEAPEST} strategy reads; null when a model has no known price. */
@FunctionalInterface
public interface PriceLookup {
  PriceLookup NONE = (provider, model) -> null;

  Pricing price(String provider, String model);
}
