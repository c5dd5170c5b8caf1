package dev.junction.routing;

import dev.junction.provider.ProviderClient;
import dev.junction.provider.ProviderClients;
import dev.junction.provider.ProviderConfig;
import dev.junction.provider.ProviderKind;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The provider clients targets resolve to, by configured name. A target that names an
 * {@code api} other than its provider's protocol ({@code responses} on an {@code openai} provider,
 * say) gets a sibling client built once from the same configuration.
 */
public final class ProviderDirectory {
  private final Map<String, ProviderClient> clients;
  private final Vertx vertx;
  private final Clock clock;
  private final Map<String, ProviderClient> variants = new ConcurrentHashMap<>();

  /** @param vertx and clock build api variants; may be null when no target names an api */
  public ProviderDirectory(Map<String, ProviderClient> clients, Vertx vertx, Clock clock) {
    this.clients = Map.copyOf(clients);
    this.vertx = vertx;
    this.clock = clock;
  }

  public Set<String> names() {
    return clients.keySet();
  }

  /** The client for a target, or null when its provider is not configured. */
  public ProviderClient client(Target target) {
    ProviderClient base = clients.get(target.provider());
    if (base == null || target.api() == null) {
      return base;
    }
    ProviderKind wanted = switch (target.api()) {
      case "messages" -> ProviderKind.ANTHROPIC;
      case "chat" -> base.config().kind() == ProviderKind.OPENAI_COMPATIBLE ? ProviderKind.OPENAI_COMPATIBLE
          : ProviderKind.OPENAI;
      case "responses" -> ProviderKind.OPENAI_RESPONSES;
      default -> base.config().kind();
    };
    if (wanted == base.config().kind() || vertx == null) {
      return base;
    }
    return variants.computeIfAbsent(target.provider() + "@" + target.api(), k -> {
      ProviderConfig c = base.config();
      return ProviderClients.create(vertx, new ProviderConfig(c.name(), wanted, c.baseUrl(), c.apiKey(), c.dialect(),
          c.anthropicVersion(), c.timeouts(), c.headers(), c.prices(), c.maxConnections(), c.caFile()), clock);
    });
  }

  /** Prices for the cheapest strategy, from each provider's configuration. */
  public PriceLookup prices() {
    return (provider, model) -> {
      ProviderClient client = clients.get(provider);
      return client == null ? null : client.config().prices().find(model);
    };
  }
}
