package dev.junction.routing;

/** How a route orders its available targets before failover walks them. */
public enum Strategy {
  /** As written in the route. */
  ORDERED("ordered"),
  /** A weighted random order, drawn without replacement. */
  WEIGHTED("weighted"),
  /** By observed EWMA latency, lowest first; targets never measured go first so they get measured. */
  FASTEST("fastest"),
  /** By price × expected tokens, lowest first; targets without a known price go last. */
  CHEAPEST("cheapest");

  private final String configName;

  Strategy(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static Strategy fromConfig(String value) {
    for (Strategy strategy : values()) {
      if (strategy.configName.equals(value)) {
        return strategy;
      }
    }
    return null;
  }
}
