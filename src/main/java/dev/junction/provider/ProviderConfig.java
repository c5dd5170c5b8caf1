package dev.junction.provider;

import java.util.Map;
import java.util.Objects;

/**
 * One configured upstream endpoint. Secrets are already resolved here; {@link ProviderConfigs}
 * reads them from {@code env:NAME} references.
 *
 * @param name the id routes refer to, e.g. {@code anthropic} or {@code local-qwen}
 * @param baseUrl scheme, host, port and optional path prefix, without a trailing slash
 * @param apiKey may be null for local servers without auth
 * @param dialect only for {@link ProviderKind#OPENAI_COMPATIBLE}
 * @param anthropicVersion the {@code anthropic-version} header; only for Anthropic
 * @param headers extra headers sent on every request
 * @param maxConnections the HTTP/1.1 pool size for this endpoint; for a plain {@code http://}
 *     endpoint, of each event loop's pool (the gateway keeps one per event loop)
 * @param caFile a PEM file of CA certificates to trust instead of the JVM's (a private endpoint or
 *     an intercepting proxy), or null
 */
public record ProviderConfig(String name, ProviderKind kind, String baseUrl, String apiKey, Dialect dialect,
    String anthropicVersion, Timeouts timeouts, Map<String, String> headers, PriceTable prices,
    int maxConnections, String caFile) {
  public static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

  public ProviderConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(baseUrl, "baseUrl");
    baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    timeouts = timeouts == null ? Timeouts.DEFAULTS : Timeouts.DEFAULTS.overriddenBy(timeouts);
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    prices = prices == null ? DefaultPrices.forKind(kind) : prices;
    anthropicVersion = anthropicVersion == null ? DEFAULT_ANTHROPIC_VERSION : anthropicVersion;
    maxConnections = maxConnections <= 0 ? 64 : maxConnections;
    if (kind == ProviderKind.OPENAI_COMPATIBLE && dialect == null) {
      dialect = Dialect.VLLM;
    }
  }

  /** A minimal config with defaults for everything but the essentials; handy in tests. */
  public static ProviderConfig of(String name, ProviderKind kind, String baseUrl, String apiKey) {
    return new ProviderConfig(name, kind, baseUrl, apiKey, null, null, null, null, null, 0, null);
  }

  public ProviderConfig withTimeouts(Timeouts value) {
    return new ProviderConfig(name, kind, baseUrl, apiKey, dialect, anthropicVersion, value, headers, prices,
        maxConnections, caFile);
  }

  public ProviderConfig withDialect(Dialect value) {
    return new ProviderConfig(name, kind, baseUrl, apiKey, value, anthropicVersion, timeouts, headers, prices,
        maxConnections, caFile);
  }

  public ProviderConfig withCaFile(String value) {
    return new ProviderConfig(name, kind, baseUrl, apiKey, dialect, anthropicVersion, timeouts, headers, prices,
        maxConnections, value);
  }

  @Override
  public String toString() {
    // never print the key
    return "ProviderConfig{" + name + ", " + kind.configName() + ", " + baseUrl
        + (dialect != null ? ", " + dialect.configName() : "") + "}";
  }
}
