package dev.junction.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code providers:} section of {@code config/junction.yaml}:
 *
 * <pre>
 * providers:
 *   anthropic:
 *     kind: anthropic                      # anthropic | openai | openai-responses | openai-compatible
 *     base_url: https://api.anthropic.com
 *     api_key: env:ANTHROPIC_API_KEY       # secrets are env:NAME references, never literals
 *     anthropic_version: "2023-06-01"
 *     timeouts: { connect: 5s, first_token: 60s, idle: 30s, total: 10m }
 *     headers: { anthropic-beta: "..." }
 *     ca_file: /etc/ssl/private-ca.pem      # optional: trust these CAs instead of the JVM's
 *     prices: { claude-sonnet-4-6: { input: 3, output: 15, cache_read: 0.30, cache_write: 3.75 } }
 *   local-qwen:
 *     kind: openai-compatible
 *     dialect: vllm                        # vllm | ollama | ollama-native | llama.cpp | sglang
 *     base_url: http://localhost:8000/v1
 * </pre>
 *
 * The conventional variables override the file: {@code ANTHROPIC_API_KEY}/{@code ANTHROPIC_BASE_URL}
 * apply to {@code anthropic} providers, {@code OPENAI_API_KEY}/{@code OPENAI_BASE_URL} to
 * {@code openai} and {@code openai-responses}, {@code QWEN_BASE_URL}/{@code QWEN_API_KEY} to
 * {@code openai-compatible}. Without a providers section, one provider per set variable is created,
 * so a user who exported a key has a working gateway. Errors name the key and the fix.
 */
public final class ProviderConfigs {
  private static final Pattern DURATION = Pattern.compile("^(\\d+)(ms|s|m|h)?$");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ProviderConfigs() {
  }

  /** @param section the value of {@code providers:} as a map (e.g. from a YAML loader), may be null */
  public static ProviderSet parse(Map<String, ?> section, Map<String, String> env) {
    return parse(section == null ? (JsonNode) null : (JsonNode) MAPPER.valueToTree(section), env);
  }

  /** @param section the {@code providers:} node, may be null or missing */
  public static ProviderSet parse(JsonNode section, Map<String, String> env) {
    if (section == null || section.isNull() || section.isMissingNode() || section.isEmpty()) {
      return fromEnvironment(env);
    }
    if (!section.isObject()) {
      throw error("providers", "must be a map of provider name to settings");
    }
    List<ProviderConfig> providers = new ArrayList<>();
    Map<String, String> disabled = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = section.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      String reason = provider(name, field.getValue(), env, providers);
      if (reason != null) {
        disabled.put(name, reason);
      }
    }
    return new ProviderSet(providers, disabled);
  }

  private static ProviderSet fromEnvironment(Map<String, String> env) {
    List<ProviderConfig> providers = new ArrayList<>();
    if (present(env, "ANTHROPIC_API_KEY")) {
      providers.add(ProviderConfig.of("anthropic", ProviderKind.ANTHROPIC,
          env.getOrDefault("ANTHROPIC_BASE_URL", defaultBaseUrl(ProviderKind.ANTHROPIC)), env.get("ANTHROPIC_API_KEY")));
    }
    if (present(env, "OPENAI_API_KEY")) {
      providers.add(ProviderConfig.of("openai", ProviderKind.OPENAI_RESPONSES,
          env.getOrDefault("OPENAI_BASE_URL", defaultBaseUrl(ProviderKind.OPENAI)), env.get("OPENAI_API_KEY")));
    }
    if (present(env, "QWEN_BASE_URL")) {
      providers.add(ProviderConfig.of("local-qwen", ProviderKind.OPENAI_COMPATIBLE, env.get("QWEN_BASE_URL"),
          env.get("QWEN_API_KEY")));
    }
    return new ProviderSet(providers, Map.of());
  }

  /** Adds the provider to {@code out}, or returns why it is disabled. */
  private static String provider(String name, JsonNode node, Map<String, String> env, List<ProviderConfig> out) {
    String at = "providers." + name;
    if (!node.isObject()) {
      throw error(at, "must be a map with at least `kind`");
    }
    String kindText = text(node, "kind", at);
    if (kindText == null) {
      kindText = name.equals("anthropic") ? "anthropic" : name.equals("openai") ? "openai-responses" : null;
    }
    if (kindText == null) {
      throw error(at + ".kind", "is required; use one of anthropic, openai, openai-responses, openai-compatible");
    }
    ProviderKind kind = ProviderKind.fromConfig(kindText);
    if (kind == null) {
      throw error(at + ".kind", "'" + kindText + "' is not a provider kind; use one of anthropic, openai, "
          + "openai-responses, openai-compatible");
    }
    String prefix = switch (kind) {
      case ANTHROPIC -> "ANTHROPIC";
      case OPENAI, OPENAI_RESPONSES -> "OPENAI";
      case OPENAI_COMPATIBLE -> "QWEN";
    };
    String baseUrl = present(env, prefix + "_BASE_URL") ? env.get(prefix + "_BASE_URL") : text(node, "base_url", at);
    if (baseUrl == null) {
      baseUrl = defaultBaseUrl(kind);
    }
    if (baseUrl == null) {
      throw error(at + ".base_url", "is required for openai-compatible providers, e.g. http://localhost:8000/v1 "
          + "(or set QWEN_BASE_URL)");
    }
    if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
      throw error(at + ".base_url", "'" + baseUrl + "' must start with http:// or https://");
    }
    String apiKey;
    if (present(env, prefix + "_API_KEY")) {
      apiKey = env.get(prefix + "_API_KEY");
    } else {
      String reference = text(node, "api_key", at);
      if (reference == null || reference.isEmpty()) {
        apiKey = null;
      } else if (reference.startsWith("env:")) {
        String variable = reference.substring(4);
        apiKey = env.get(variable);
        if (apiKey == null || apiKey.isEmpty()) {
          if (kind != ProviderKind.OPENAI_COMPATIBLE) {
            return at + ".api_key refers to " + variable + ", which is not set; export " + variable + " to enable it";
          }
          apiKey = null;
        }
      } else {
        throw error(at + ".api_key", "must be an env:NAME reference; keep the key in an environment variable "
            + "and write api_key: env:NAME");
      }
    }
    if (apiKey == null && kind != ProviderKind.OPENAI_COMPATIBLE) {
      return at + ".api_key is not set; add api_key: env:" + prefix + "_API_KEY and export " + prefix + "_API_KEY";
    }
    Dialect dialect = null;
    String dialectText = text(node, "dialect", at);
    if (dialectText != null) {
      if (kind != ProviderKind.OPENAI_COMPATIBLE) {
        throw error(at + ".dialect", "applies only to kind openai-compatible; remove it");
      }
      dialect = Dialect.fromConfig(dialectText);
      if (dialect == null) {
        throw error(at + ".dialect", "'" + dialectText + "' is not a dialect; use one of vllm, ollama, "
            + "ollama-native, llama.cpp, sglang");
      }
    }
    PriceTable prices = DefaultPrices.forKind(kind).with(prices(node.get("prices"), at + ".prices"));
    JsonNode maxConnections = node.get("max_connections");
    if (maxConnections != null && !maxConnections.canConvertToInt()) {
      throw error(at + ".max_connections", "must be a whole number, e.g. 64");
    }
    out.add(new ProviderConfig(name, kind, baseUrl, apiKey, dialect, text(node, "anthropic_version", at),
        timeouts(node.get("timeouts"), at + ".timeouts"), headers(node.get("headers"), at + ".headers"), prices,
        maxConnections == null ? 0 : maxConnections.asInt(), caFile(node, at)));
    return null;
  }

  private static String caFile(JsonNode node, String at) {
    String path = text(node, "ca_file", at);
    if (path != null && !new java.io.File(path).canRead()) {
      throw error(at + ".ca_file", "'" + path + "' cannot be read; give the path of a PEM file of CA certificates");
    }
    return path;
  }

  private static String defaultBaseUrl(ProviderKind kind) {
    return switch (kind) {
      case ANTHROPIC -> "https://api.anthropic.com";
      case OPENAI, OPENAI_RESPONSES -> "https://api.openai.com/v1";
      case OPENAI_COMPATIBLE -> null;
    };
  }

  private static Timeouts timeouts(JsonNode node, String at) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw error(at, "must be a map with connect, first_token, idle and/or total");
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (!List.of("connect", "first_token", "idle", "total").contains(key)) {
        throw error(at + "." + key, "is not a timeout; use connect, first_token, idle or total");
      }
    }
    return new Timeouts(duration(node.get("connect"), at + ".connect"), duration(node.get("first_token"), at + ".first_token"),
        duration(node.get("idle"), at + ".idle"), duration(node.get("total"), at + ".total"));
  }

  /** {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, or a bare number of milliseconds. */
  static Duration duration(JsonNode node, String at) {
    if (node == null || node.isNull()) {
      return null;
    }
    Matcher m = DURATION.matcher(node.asText().trim());
    if (!m.matches()) {
      throw error(at, "'" + node.asText() + "' is not a duration; write e.g. 500ms, 30s or 10m");
    }
    long value = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    return switch (unit) {
      case "s" -> Duration.ofSeconds(value);
      case "m" -> Duration.ofMinutes(value);
      case "h" -> Duration.ofHours(value);
      default -> Duration.ofMillis(value);
    };
  }

  private static Map<String, String> headers(JsonNode node, String at) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return headers;
    }
    if (!node.isObject()) {
      throw error(at, "must be a map of header name to value");
    }
    node.fields().forEachRemaining(e -> {
      if (!e.getValue().isValueNode()) {
        throw error(at + "." + e.getKey(), "must be a string");
      }
      headers.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue().asText());
    });
    return headers;
  }

  private static Map<String, Pricing> prices(JsonNode node, String at) {
    Map<String, Pricing> prices = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return prices;
    }
    if (!node.isObject()) {
      throw error(at, "must be a map of model id to {input, output, cache_read, cache_write}");
    }
    node.fields().forEachRemaining(e -> {
      String where = at + "." + e.getKey();
      BigDecimal input = price(e.getValue(), "input", where, null);
      BigDecimal output = price(e.getValue(), "output", where, null);
      prices.put(e.getKey(), new Pricing(input, output, price(e.getValue(), "cache_read", where, input),
          price(e.getValue(), "cache_write", where, input)));
    });
    return prices;
  }

  private static BigDecimal price(JsonNode node, String key, String at, BigDecimal fallback) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      if (fallback == null) {
        throw error(at + "." + key, "is required (USD per million tokens, e.g. " + key + ": 3)");
      }
      return fallback;
    }
    try {
      BigDecimal price = new BigDecimal(value.asText());
      if (price.signum() < 0) {
        throw error(at + "." + key, "must not be negative");
      }
      return price;
    } catch (NumberFormatException e) {
      throw error(at + "." + key, "'" + value.asText() + "' is not a number of USD per million tokens");
    }
  }

  private static String text(JsonNode node, String key, String at) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isValueNode()) {
      throw error(at + "." + key, "must be a string");
    }
    return value.asText();
  }

  private static boolean present(Map<String, String> env, String name) {
    String value = env.get(name);
    return value != null && !value.isBlank();
  }

  private static IllegalArgumentException error(String key, String problem) {
    return new IllegalArgumentException(key + " " + problem);
  }
}
