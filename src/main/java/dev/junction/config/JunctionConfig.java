package dev.junction.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code serve} needs, resolved and validated.
 *
 * @param source    the file it came from (for messages), or a description of its origin
 * @param server    HTTP listener settings
 * @param stream    SSE stream settings
 * @param store     persistence settings
 * @param apiKeys   tenant credentials (hashed)
 * @param adminKeys operator credentials for {@code /admin} (hashed)
 * @param providers the raw {@code providers:} section, parsed by the provider layer
 * @param routesDir where route tables live
 * @param env       the environment {@code env:NAME} references resolve against
 * @param harness   agent-loop settings
 */
public record JunctionConfig(String source, Server server, Stream stream, StoreSettings store, List<ApiKey> apiKeys,
                             List<ApiKey> adminKeys, JsonNode providers, Path routesDir, Map<String, String> env,
                             Loop harness) {

  /**
   * @param host         bind address
   * @param port         TCP port; 0 picks a free one
   * @param maxBodyBytes larger request bodies get 413
   * @param eventLoops   HTTP verticle instances; 0 means one per core
   */
  public record Server(String host, int port, long maxBodyBytes, int eventLoops) {
  }

  /**
   * @param pingIntervalMillis  keep-alive ping period on idle streams
   * @param maxBufferedEvents   events held for a subscriber that does not read before it is cut off
   */
  public record Stream(long pingIntervalMillis, int maxBufferedEvents) {
  }

  /**
   * @param type        {@code sqlite} or {@code postgres}
   * @param dataDir     where the embedded database and session work directories live
   * @param synchronous SQLite {@code synchronous} pragma: FULL or NORMAL (both survive kill -9 in WAL mode)
   * @param url         PostgreSQL: {@code postgresql://user:password@host:port/database}; null for sqlite
   * @param poolSize    PostgreSQL: connections per node (each pipelines many statements)
   * @param nodeId      PostgreSQL: this node's name in session leases; null picks host, pid and a random suffix
   * @param leaseTtlMs  how long a session's lease outlives its node's last renewal before another node
   *                    takes the session over
   */
  public record StoreSettings(String type, Path dataDir, String synchronous, String url, int poolSize, String nodeId,
                              long leaseTtlMs) {
    /** The embedded store's settings. */
    public StoreSettings(String type, Path dataDir, String synchronous) {
      this(type, dataDir, synchronous, null, 8, null, 15_000);
    }
  }

  /**
   * @param maxTokens   output budget per model call
   * @param maxRetries  model-call retries before a turn ends with {@code retries_exhausted}
   * @param retryBaseMs first backoff, doubled per retry
   * @param retryMaxMs  backoff cap
   * @param compactAtTokens compact older turns above this many estimated tokens (0: 80% of the model's window)
   */
  public record Loop(int maxTokens, int maxRetries, long retryBaseMs, long retryMaxMs, long compactAtTokens) {
  }

  public JunctionConfig withPort(int port) {
    return new JunctionConfig(source, new Server(server.host(), port, server.maxBodyBytes(), server.eventLoops()),
        stream, store, apiKeys, adminKeys, providers, routesDir, env, harness);
  }
}
