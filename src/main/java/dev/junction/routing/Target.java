package dev.junction.routing;

import java.util.Objects;

/**
 * A place a model call can go: a configured provider and a model id it serves, optionally through
 * a specific API of that provider ({@code messages}, {@code chat}, {@code responses}). Immutable,
 * compared by value like a record; a class only so that its {@link #id()}, read several times per
 * call (breakers, statistics, metrics), is built once.
 */
public final class Target {
  private final String name;
  private final String provider;
  private final String model;
  private final String api;
  private final String id;

  /**
   * @param name the route file's name for it, or {@code requested} when it was resolved from the
   *     caller's model
   * @param api null to use the provider's configured protocol
   */
  public Target(String name, String provider, String model, String api) {
    this.name = Objects.requireNonNull(name, "name");
    this.provider = Objects.requireNonNull(provider, "provider");
    this.model = Objects.requireNonNull(model, "model");
    this.api = api;
    this.id = provider + "/" + model;
  }

  public String name() {
    return name;
  }

  public String provider() {
    return provider;
  }

  public String model() {
    return model;
  }

  public String api() {
    return api;
  }

  /** The identity breakers, statistics and metrics are kept under: {@code provider/model}. */
  public String id() {
    return id;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Target t && name.equals(t.name) && provider.equals(t.provider) && model.equals(t.model)
        && Objects.equals(api, t.api);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, provider, model, api);
  }

  @Override
  public String toString() {
    return "Target[name=" + name + ", provider=" + provider + ", model=" + model + ", api=" + api + "]";
  }
}
