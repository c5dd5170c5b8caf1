package dev.junction.tools.bwrap;

import dev.junction.tools.SandboxLimits;
import dev.junction.tools.SandboxSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bwrap argument list that defines a jail. Everything the jail can see is listed here; anything
 * not bound does not exist inside it.
 *
 * <p>The jail gets its own user namespace with uid 1000 even when the gateway runs as root: without
 * it bwrap keeps the caller's capabilities, and a root with {@code CAP_SYS_ADMIN} inside a mount
 * namespace can mount the host's disks. Nested user namespaces are disabled so the model cannot
 * regain capabilities inside.
 */
final class JailLayout {
  static final int UID = 1000;
  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  /** System files that coreutils, bash and TLS clients read; none of them carries a secret. */
  private static final List<String> ETC_FILES = List.of(
      "/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime",
      "/etc/ssl", "/etc/ca-certificates", "/etc/mime.types", "/etc/protocols", "/etc/services");
  /** Only needed to resolve names, so only bound when the jail has a network. */
  private static final List<String> NET_ETC_FILES = List.of("/etc/resolv.conf", "/etc/nsswitch.conf", "/etc/gai.conf");

  private final String bwrap;
  private final Path generatedEtc;
  private final Features features;

  /**
   * Options that only newer bwrap releases have ({@code --disable-userns} came in 0.8,
   * {@code --size} in 0.5); older ones still give a sound jail without these hardening extras.
   */
  record Features(boolean disableUserns, boolean tmpfsSize) {
    static final Features ALL = new Features(true, true);

    /** @param help what {@code bwrap --help} printed */
    static Features fromHelp(String help) {
      return new Features(help.contains("--disable-userns"), help.contains("--size"));
    }
  }

  /**
   * @param bwrap        the bwrap executable
   * @param generatedEtc a directory holding the jail's own {@code passwd}, {@code group} and
   *                     {@code hosts} (see {@link #writeGeneratedEtc}), so the host's user list is
   *                     not shown
   */
  JailLayout(String bwrap, Path generatedEtc, Features features) {
    this.bwrap = bwrap;
    this.generatedEtc = generatedEtc;
    this.features = features;
  }

  static void writeGeneratedEtc(Path dir) throws java.io.IOException {
    Files.createDirectories(dir);
    // Registered before its files so that the files, deleted in reverse order, go first.
    dir.toFile().deleteOnExit();
    for (String f : List.of("passwd", "group", "hosts")) {
      dir.resolve(f).toFile().deleteOnExit();
    }
    Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n"
        + "sandbox:x:" + UID + ":" + UID + ":sandbox:/workspace:/bin/bash\n"
        + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
    Files.writeString(dir.resolve("group"), "root:x:0:\nsandbox:x:" + UID + ":\nnogroup:x:65534:\n");
    Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n::1 localhost\n");
  }

  /**
   * @param spec    the session's directories, network and limits
   * @param command what to run inside, as argv (run under the limits set by {@code ulimit})
   * @return the full command line, bwrap first
   */
  List<String> argv(SandboxSpec spec, List<String> command) {
    List<String> a = new ArrayList<>(96);
    a.add(bwrap);
    a.add("--unshare-all");
    if (spec.network()) {
      a.add("--share-net");
    }
    a.add("--unshare-user");
    if (features.disableUserns()) {
      a.add("--disable-userns");
    }
    a.addAll(List.of("--uid", "" + UID, "--gid", "" + UID, "--cap-drop", "ALL", "--die-with-parent", "--new-session"));
    a.addAll(List.of("--ro-bind", "/usr", "/usr"));
    for (String top : List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")) {
      systemDir(a, Path.of(top));
    }
    for (String f : ETC_FILES) {
      a.addAll(List.of("--ro-bind-try", f, f));
    }
    if (spec.network()) {
      for (String f : NET_ETC_FILES) {
        a.addAll(List.of("--ro-bind-try", f, f));
      }
    }
    for (String f : List.of("passwd", "group", "hosts")) {
      a.addAll(List.of("--ro-bind", generatedEtc.resolve(f).toString(), "/etc/" + f));
    }
    a.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
    if (features.tmpfsSize()) {
      a.addAll(List.of("--size", Long.toString(spec.limits().tmpBytes())));
    }
    a.addAll(List.of("--tmpfs", "/tmp"));
    a.addAll(List.of("--bind", spec.workDir().toString(), SandboxSpec.WORKSPACE));
    a.addAll(List.of("--bind", spec.outputsDir().toString(), SandboxSpec.OUTPUTS));
    // The root is bwrap's own tmpfs; read-only so writes outside the two session dirs and /tmp fail
    // instead of consuming memory.
    a.addAll(List.of("--remount-ro", "/"));
    a.addAll(List.of("--chdir", SandboxSpec.WORKSPACE, "--clearenv",
        "--setenv", "PATH", PATH, "--setenv", "HOME", SandboxSpec.WORKSPACE,
        "--setenv", "LANG", "C.UTF-8", "--setenv", "USER", "sandbox", "--setenv", "TERM", "dumb"));
    a.add("--");
    a.addAll(withLimits(spec.limits(), command));
    return a;
  }

  /** Debian-style merged /usr has /bin → usr/bin symlinks; older layouts have real directories. */
  private static void systemDir(List<String> a, Path top) {
    try {
      if (Files.isSymbolicLink(top)) {
        a.addAll(List.of("--symlink", Files.readSymbolicLink(top).toString(), top.toString()));
      } else if (Files.isDirectory(top)) {
        a.addAll(List.of("--ro-bind", top.toString(), top.toString()));
      }
    } catch (java.io.IOException e) {
      // An unreadable top-level link is simply left out of the jail.
    }
  }

  /**
   * Sets soft and hard limits in a tiny bash before exec'ing the command, so every process of the
   * jail inherits them. {@code ulimit -u} may be refused in some namespaces; that is not fatal.
   */
  private static List<String> withLimits(SandboxLimits l, List<String> command) {
    long fileBlocks = Math.max(1, l.fileSizeBytes() / 1024);
    String script = "ulimit -f " + fileBlocks + " && ulimit -t " + l.cpuSeconds()
        + " && { ulimit -u " + l.processes() + " 2>/dev/null || true; } && exec \"$@\"";
    List<String> out = new ArrayList<>(List.of("/bin/bash", "--noprofile", "--norc", "-c", script, "jail"));
    out.addAll(command);
    return out;
  }
}
