package dev.junction.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.junction.config.ApiKey;
import dev.junction.config.ConfigLoader;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves {@code x-api-key} or {@code Authorization: Bearer} to a tenant. Keys are known only by their
 * SHA-256; a verified key is cached so the hot path pays one map lookup, not a digest.
 */
final class Auth implements Handler<RoutingContext> {
  static final String TENANT = "tenant";

  private final Map<String, String> tenantsByHash = new HashMap<>();
  private final Cache<String, String> verified = Caffeine.newBuilder().maximumSize(10_000)
      .expireAfterAccess(Duration.ofMinutes(10)).build();
  private final String realm;

  Auth(List<ApiKey> keys, String realm) {
    for (ApiKey k : keys) {
      tenantsByHash.put(k.sha256(), k.tenant());
    }
    this.realm = realm;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String key = ctx.request().getHeader("x-api-key");
    if (key == null) {
      String authz = ctx.request().getHeader("authorization");
      if (authz != null && authz.regionMatches(true, 0, "Bearer ", 0, 7)) {
        key = authz.substring(7).trim();
      }
    }
    if (key == null || key.isEmpty()) {
      ctx.fail(new ApiError(401, "authentication_error",
          "missing credentials: send the " + realm + " key as x-api-key or Authorization: Bearer", null, false));
      return;
    }
    String tenant = verified.getIfPresent(key);
    if (tenant == null) {
      tenant = tenantsByHash.get(ConfigLoader.sha256(key));
      if (tenant == null) {
        ctx.fail(new ApiError(401, "authentication_error", "invalid " + realm + " key", null, false));
        return;
      }
      verified.put(key, tenant);
    }
    ctx.put(TENANT, tenant);
    ctx.next();
  }
}
