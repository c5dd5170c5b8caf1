package dev.junction.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code junction.yaml}. Environment overrides: {@code JUNCTION_PORT}, {@code JUNCTION_DATA_DIR},
 * {@code JUNCTION_DATABASE_URL} (selects the PostgreSQL store),
 * {@code JUNCTION_API_KEYS} ({@code key:tenant,key:tenant}), {@code JUNCTION_ADMIN_KEYS} ({@code key,key}).
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> TOP_LEVEL = Set.of("server", "stream", "store", "auth", "providers", "routes", "harness");

  private final Map<String, String> env;

  public ConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  /** Loads a file; a missing file is an error naming it, since serve without config is a mistake. */
  public JunctionConfig load(Path file) {
    String name = file.toString();
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(name, "(file)", "not found",
          "run from the project directory or pass --config PATH to an existing junction.yaml");
    }
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigException(name, "(file)", "not valid YAML: " + e.getOriginalMessage(), "correct the YAML syntax");
    } catch (IOException e) {
      throw new ConfigException(name, "(file)", "cannot be read: " + e.getMessage(), "check the file's permissions");
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = YAML.createObjectNode();
    }
    if (!root.isObject()) {
      throw new ConfigException(name, "(root)", "must be a mapping", "start the file with keys such as server: and store:");
    }
    Path base = file.toAbsolutePath().getParent();
    return fromTree(name, (ObjectNode) root, base == null ? Path.of(".") : base.getParent() == null ? base : base.getParent());
  }

  /**
   * Builds a config from a parsed tree.
   *
   * @param projectDir relative paths (data_dir, routes) resolve against it
   */
  public JunctionConfig fromTree(String name, ObjectNode root, Path projectDir) {
    root.fieldNames().forEachRemaining(k -> {
      if (!TOP_LEVEL.contains(k)) {
        throw new ConfigException(name, k, "unknown key", "use one of " + TOP_LEVEL);
      }
    });
    JsonNode server = root.path("server");
    String host = text(name, server, "server.host", "0.0.0.0");
    int port = (int) number(name, server, "server.port", 8080, 0, 65535);
    if (env.containsKey("JUNCTION_PORT")) {
      port = (int) parseLong(name, "JUNCTION_PORT (environment)", env.get("JUNCTION_PORT"), 0, 65535);
    }
    long maxBody = number(name, server, "server.max_body_bytes", 16L * 1024 * 1024, 1024, 1L << 31);
    int loops = (int) number(name, server, "server.event_loops", 0, 0, 256);

    JsonNode stream = root.path("stream");
    long ping = number(name, stream, "stream.ping_interval_ms", 15_000, 10, 3_600_000);
    int maxBuffered = (int) number(name, stream, "stream.max_buffered_events", 4096, 16, 1_000_000);

    JsonNode store = root.path("store");
    String type = text(name, store, "store.type", "sqlite");
    if (!type.equals("sqlite") && !type.equals("postgres")) {
      throw new ConfigException(name, "store.type", "unsupported store '" + type + "'", "use sqlite or postgres");
    }
    // A database URL in the environment selects PostgreSQL whatever the file says: one image, many nodes.
    String url = resolve(text(name, store, "store.url", null));
    String envUrl = env.get("JUNCTION_DATABASE_URL");
    if (envUrl != null && !envUrl.isBlank()) {
      type = "postgres";
      url = envUrl.trim();
    }
    if (type.equals("postgres") && (url == null || !(url.startsWith("postgresql://") || url.startsWith("postgres://")))) {
      throw new ConfigException(name, "store.url", url == null ? "is required for store.type postgres"
          : "must be a postgresql:// URL", "set store.url: env:NAME (postgresql://user:password@host:5432/db)"
          + " or export JUNCTION_DATABASE_URL");
    }
    int poolSize = (int) number(name, store, "store.pool_size", 8, 1, 256);
    String nodeId = env.getOrDefault("JUNCTION_NODE_ID", text(name, store, "store.node_id", null));
    long leaseTtl = number(name, store, "store.lease_ttl_ms", 15_000, 1_000, 3_600_000);
    String dataDir = env.getOrDefault("JUNCTION_DATA_DIR", text(name, store, "store.data_dir", "data"));
    String sync = text(name, store, "store.synchronous", "FULL").toUpperCase();
    if (!sync.equals("FULL") && !sync.equals("NORMAL")) {
      throw new ConfigException(name, "store.synchronous", "must be FULL or NORMAL, not " + sync, "set FULL (default)");
    }

    JsonNode auth = root.path("auth");
    List<ApiKey> keys = new ArrayList<>();
    String envKeys = env.get("JUNCTION_API_KEYS");
    if (envKeys != null && !envKeys.isBlank()) {
      keys.addAll(parseKeyList(envKeys));
    } else {
      keys.addAll(apiKeys(name, auth.path("api_keys")));
    }
    List<ApiKey> admin = new ArrayList<>();
    String envAdmin = env.get("JUNCTION_ADMIN_KEYS");
    if (envAdmin != null && !envAdmin.isBlank()) {
      for (String k : envAdmin.split(",")) {
        if (!k.isBlank()) {
          admin.add(new ApiKey(sha256(k.trim()), "admin"));
        }
      }
    } else {
      for (ApiKey k : apiKeys(name, auth.path("admin_keys"))) {
        admin.add(new ApiKey(k.sha256(), "admin"));
      }
    }
    JsonNode harness = root.path("harness");
    JunctionConfig.Loop loop = new JunctionConfig.Loop(
        (int) number(name, harness, "harness.max_tokens", 8192, 1, 1_000_000),
        (int) number(name, harness, "harness.max_retries", 3, 0, 100),
        number(name, harness, "harness.retry_base_ms", 2000, 1, 3_600_000),
        number(name, harness, "harness.retry_max_ms", 30_000, 1, 3_600_000),
        number(name, harness, "harness.compact_at_tokens", 0, 0, 10_000_000));
    String routes = text(name, root, "routes", "routes");
    try {
      dev.junction.provider.ProviderConfigs.parse(root.path("providers"), env);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name, "providers", e.getMessage(), "see the providers section of README.md");
    }
    return new JunctionConfig(name, new JunctionConfig.Server(host, port, maxBody, loops),
        new JunctionConfig.Stream(ping, maxBuffered),
        new JunctionConfig.StoreSettings(type, projectDir.resolve(dataDir).normalize(), sync, url, poolSize, nodeId, leaseTtl),
        List.copyOf(keys), List.copyOf(admin), root.path("providers"), projectDir.resolve(routes).normalize(), env, loop);
  }

  /** Parses {@code key:tenant,key:tenant}; the key itself may contain colons, the tenant may not. */
  public static List<ApiKey> parseKeyList(String spec) {
    List<ApiKey> out = new ArrayList<>();
    for (String entry : spec.split(",")) {
      String e = entry.trim();
      if (e.isEmpty()) {
        continue;
      }
      int colon = e.lastIndexOf(':');
      if (colon <= 0 || colon == e.length() - 1) {
        throw new ConfigException("JUNCTION_API_KEYS (environment)", "entry " + out.size(),
            "expected key:tenant", "write JUNCTION_API_KEYS=mykey:mytenant,otherkey:othertenant");
      }
      out.add(new ApiKey(sha256(e.substring(0, colon)), e.substring(colon + 1)));
    }
    return out;
  }

  private List<ApiKey> apiKeys(String name, JsonNode list) {
    List<ApiKey> out = new ArrayList<>();
    if (list.isMissingNode() || list.isNull()) {
      return out;
    }
    if (!list.isArray()) {
      throw new ConfigException(name, "auth.api_keys", "must be a list", "write - { key: env:MY_KEY, tenant: team-a }");
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      String path = "auth.api_keys[" + i + "]";
      String tenant = item.path("tenant").asText("default");
      if (item.hasNonNull("key_sha256")) {
        String hash = item.get("key_sha256").asText().toLowerCase();
        if (!hash.matches("[0-9a-f]{64}")) {
          throw new ConfigException(name, path + ".key_sha256", "not a SHA-256 hex digest",
              "write the output of: printf %s KEY | sha256sum");
        }
        out.add(new ApiKey(hash, tenant));
      } else if (item.hasNonNull("key")) {
        String ref = item.get("key").asText();
        if (!ref.startsWith("env:")) {
          throw new ConfigException(name, path + ".key", "a literal key in a file",
              "write key: env:NAME and export NAME, or use key_sha256");
        }
        String value = env.get(ref.substring(4));
        if (value == null || value.isBlank()) {
          throw new ConfigException(name, path + ".key", "environment variable " + ref.substring(4) + " is not set",
              "export " + ref.substring(4) + "=<key> or remove the entry");
        }
        out.add(new ApiKey(sha256(value), tenant));
      } else {
        throw new ConfigException(name, path, "needs key: env:NAME or key_sha256", "add one of them");
      }
    }
    return out;
  }

  /** Resolves an {@code env:NAME} reference, or returns the value when it is not one. */
  public String resolve(String value) {
    if (value != null && value.startsWith("env:")) {
      return env.get(value.substring(4));
    }
    return value;
  }

  public static String sha256(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(String file, JsonNode parent, String key, String def) {
    JsonNode n = parent.path(leaf(key));
    if (n.isMissingNode() || n.isNull()) {
      return def;
    }
    if (!n.isTextual()) {
      throw new ConfigException(file, key, "must be a string", "quote the value");
    }
    return n.asText();
  }

  private static long number(String file, JsonNode parent, String key, long def, long min, long max) {
    JsonNode n = parent.path(leaf(key));
    if (n instanceof MissingNode || n.isNull()) {
      return def;
    }
    if (!n.canConvertToLong() || !n.isIntegralNumber()) {
      throw new ConfigException(file, key, "must be a whole number", "write a number between " + min + " and " + max);
    }
    return parseLong(file, key, n.asText(), min, max);
  }

  private static long parseLong(String file, String key, String value, long min, long max) {
    long v;
    try {
      v = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(file, key, "'" + value + "' is not a whole number", "write a number between " + min + " and " + max);
    }
    if (v < min || v > max) {
      throw new ConfigException(file, key, v + " is out of range", "write a number between " + min + " and " + max);
    }
    return v;
  }

  private static String leaf(String key) {
    return key.substring(key.lastIndexOf('.') + 1);
  }
}
