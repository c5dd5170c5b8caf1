package dev.junction.routing;

/** What a route does when every one of its targets is open or cooling down. */
public enum LastResort {
  /** Try the one target that will reopen soonest (never a forced-open one). */
  CLOSEST("closest"),
  /** Fail at once with a clear error, without calling anything. */
  FAIL_FAST("fail_fast");

  private final String configName;

  LastResort(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static LastResort fromConfig(String value) {
    for (LastResort policy : values()) {
      if (policy.configName.equals(value)) {
        return policy;
      }
    }
    return null;
  }
}
