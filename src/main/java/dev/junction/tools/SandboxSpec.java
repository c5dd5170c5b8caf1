package dev.junction.tools;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Everything a sandbox needs to open one session's jail.
 *
 * @param sessionId  the MA session id; also a directory name, so it is restricted to a safe alphabet
 * @param workDir    host directory seen as {@code /workspace} (the jail's cwd)
 * @param outputsDir host directory seen as {@code /mnt/session/outputs}
 * @param network    whether the jail shares the host network; false gives it no interfaces at all
 * @param limits     resource limits
 */
public record SandboxSpec(String sessionId, Path workDir, Path outputsDir, boolean network, SandboxLimits limits) {
  /** Where the workspace appears inside the jail. */
  public static final String WORKSPACE = "/workspace";
  /** MA's convention for files the session hands back. */
  public static final String OUTPUTS = "/mnt/session/outputs";

  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  public SandboxSpec {
    if (!SAFE_ID.matcher(sessionId).matches()) {
      throw new IllegalArgumentException("session id is not a safe directory name: " + sessionId);
    }
    workDir = workDir.toAbsolutePath().normalize();
    outputsDir = outputsDir.toAbsolutePath().normalize();
  }

  /**
   * Lays a session out under the gateway's data directory: {@code <dataDir>/sessions/<id>/work} and
   * {@code <dataDir>/sessions/<id>/outputs}. Only these two directories are bound into the jail; the
   * rest of the data directory (database, keys, other sessions) stays outside it.
   *
   * @param dataDir           the gateway's data directory
   * @param sessionId         the session
   * @param environmentConfig the session's environment {@code config} object (may be null)
   * @param limits            resource limits
   * @return the spec
   */
  public static SandboxSpec forSession(Path dataDir, String sessionId, JsonObject environmentConfig, SandboxLimits limits) {
    Path base = dataDir.resolve("sessions").resolve(sessionId);
    return new SandboxSpec(sessionId, base.resolve("work"), base.resolve("outputs"),
        networkAllowed(environmentConfig), limits);
  }

  /**
   * @param environmentConfig an environment's {@code config}
   * @return true only for {@code networking.type == "unrestricted"}; {@code limited} has no host
   *         allow-list enforcement here yet, so it is treated as no network rather than as open
   */
  public static boolean networkAllowed(JsonObject environmentConfig) {
    if (environmentConfig == null) {
      return false;
    }
    JsonObject networking = environmentConfig.getJsonObject("networking");
    return networking != null && "unrestricted".equals(networking.getString("type"));
  }
}
