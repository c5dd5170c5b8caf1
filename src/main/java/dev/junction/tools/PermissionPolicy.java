package dev.junction.tools;

import io.vertx.core.json.JsonObject;

/** An MA permission policy: who decides whether a tool call runs. */
public enum PermissionPolicy {
  ALWAYS_ALLOW("always_allow"),
  ALWAYS_ASK("always_ask"),
  AUTO("auto");

  private final String wire;

  PermissionPolicy(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** @return {@code {"type": wire}} as MA writes it in {@code evaluation} */
  public JsonObject toJson() {
    return new JsonObject().put("type", wire);
  }

  /**
   * @param policy a {@code permission_policy} object, or null
   * @param fallback what null or a missing type means
   * @return the policy; an unknown type is treated as {@link #ALWAYS_ASK}, the choice that never
   *         runs a tool without someone agreeing
   */
  public static PermissionPolicy from(JsonObject policy, PermissionPolicy fallback) {
    if (policy == null || policy.getString("type") == null) {
      return fallback;
    }
    for (PermissionPolicy p : values()) {
      if (p.wire.equals(policy.getString("type"))) {
        return p;
      }
    }
    return ALWAYS_ASK;
  }
}
