package dev.junction.routing;

import java.util.Objects;

/**
 * A place a model call can go: a configured provider and a model id it serves, optionally through
 * a specific API of that provider ({@code messages}, {@code chat}, {@code responses}).
 *
 * @param name the route file's name for it, or {@code requested} when it was resolved from the
 *     caller's model
 * @param api null to use the provider's configured protocol
 */
public record Target(String name, String provider, String model, String api) {
  public Target {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(model, "model");
  }

  /** The identity breakers, statistics and metrics are kept under: {@code provider/model}. */
  public String id() {
    return provider + "/" + model;
  }
}
