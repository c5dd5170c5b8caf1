package dev.junction.tools;

import java.nio.file.Path;

/**
 * Turns a path the model gave into a jail path under {@code /workspace} or
 * {@code /mnt/session/outputs}.
 *
 * <p>This is the first of two checks and only a lexical one: it rejects {@code ..} that climbs out
 * and absolute paths elsewhere, so the model gets a clear refusal. The check that makes escapes
 * impossible is where the file is opened: inside the jail, whose mount namespace contains nothing
 * of the host but the session's two directories and read-only system files. A symlink in the
 * workspace pointing at a host path resolves inside the jail, where that path does not exist; the
 * jailed helper also resolves symlinks ({@code realpath}) and refuses targets outside the two
 * roots. Opening on the host after a host-side canonicalisation would not be safe: the model's
 * background processes could swap a checked directory for a symlink between check and open.
 */
final class JailPaths {
  private JailPaths() {
  }

  static String resolve(String given, String field) {
    if (given == null || given.isBlank()) {
      throw new ToolInputException(field + " is required");
    }
    if (given.indexOf('\0') >= 0) {
      throw new ToolInputException(field + " contains a NUL byte");
    }
    String abs = given.startsWith("/") ? given : SandboxSpec.WORKSPACE + "/" + given;
    String norm = Path.of(abs).normalize().toString();
    if (!under(norm, SandboxSpec.WORKSPACE) && !under(norm, SandboxSpec.OUTPUTS)) {
      throw new ToolInputException("refused: " + given + " is outside " + SandboxSpec.WORKSPACE + " and "
          + SandboxSpec.OUTPUTS);
    }
    return norm;
  }

  private static boolean under(String path, String root) {
    return path.equals(root) || path.startsWith(root + "/");
  }
}
