package dev.junction.tools.bwrap;

import dev.junction.tools.SandboxLimits;
import dev.junction.tools.SandboxSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JailLayoutTest {
  private final JailLayout layout = new JailLayout("/usr/bin/bwrap", Path.of("/tmp/etc-gen"), JailLayout.Features.ALL);

  private SandboxSpec spec(boolean network) {
    return new SandboxSpec("sesn_1", Path.of("/data/sessions/sesn_1/work"), Path.of("/data/sessions/sesn_1/outputs"),
        network, SandboxLimits.defaults());
  }

  @Test
  void shouldUnshareEverythingAndDropPrivileges() {
    List<String> a = layout.argv(spec(false), List.of("/bin/true"));
    assertEquals("/usr/bin/bwrap", a.get(0));
    for (String flag : List.of("--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent",
        "--new-session", "--clearenv")) {
      assertTrue(a.contains(flag), flag);
    }
    assertFalse(a.contains("--share-net"));
    assertEquals("ALL", a.get(a.indexOf("--cap-drop") + 1));
    assertEquals("1000", a.get(a.indexOf("--uid") + 1));
  }

  @Test
  void shouldShareTheNetworkOnlyWhenAllowed() {
    List<String> a = layout.argv(spec(true), List.of("/bin/true"));
    assertTrue(a.contains("--share-net"));
    assertTrue(a.contains("/etc/resolv.conf"));
    assertFalse(layout.argv(spec(false), List.of("/bin/true")).contains("/etc/resolv.conf"));
  }

  @Test
  void shouldBindOnlyTheSessionDirectoriesWritable() {
    List<String> a = layout.argv(spec(false), List.of("/bin/true"));
    assertEquals(2, Collections.frequency(a, "--bind"));
    int w = a.indexOf("/data/sessions/sesn_1/work");
    assertEquals("--bind", a.get(w - 1));
    assertEquals("/workspace", a.get(w + 1));
    int o = a.indexOf("/data/sessions/sesn_1/outputs");
    assertEquals("/mnt/session/outputs", a.get(o + 1));
    assertFalse(a.stream().anyMatch(s -> s.equals("/data") || s.equals("/data/sessions")));
    assertEquals("/", a.get(a.indexOf("--remount-ro") + 1));
  }

  @Test
  void shouldSetACleanEnvironmentAndLimitsBeforeTheCommand() {
    List<String> a = layout.argv(spec(false), List.of("/bin/echo", "hi"));
    int sep = a.indexOf("--");
    List<String> setenv = a.subList(0, sep).stream().filter(s -> a.indexOf(s) > 0 && a.get(a.indexOf(s) - 1).equals("--setenv")).toList();
    assertEquals(List.of("PATH", "HOME", "LANG", "USER", "TERM"), setenv);
    assertEquals(List.of("/bin/echo", "hi"), a.subList(a.size() - 2, a.size()));
    assertTrue(a.get(sep + 5).contains("ulimit -f 1048576"), a.get(sep + 5));
  }

  @Test
  void shouldLeaveOutOptionsAnOlderBwrapLacks() {
    JailLayout.Features old = JailLayout.Features.fromHelp("    --unshare-all  Unshare every namespace\n    --tmpfs DEST\n");
    List<String> a = new JailLayout("/usr/bin/bwrap", Path.of("/tmp/etc-gen"), old).argv(spec(false), List.of("/bin/true"));
    assertFalse(a.contains("--disable-userns"));
    assertFalse(a.contains("--size"));
    assertTrue(a.contains("--unshare-user"));
    assertTrue(a.contains("--tmpfs"));
  }
}
