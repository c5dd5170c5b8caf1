package dev.junction.tools;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JailPathsTest {

  @Test
  void shouldResolveRelativePathsAgainstTheWorkspace() {
    assertEquals("/workspace/a/b.txt", JailPaths.resolve("a/b.txt", "file_path"));
    assertEquals("/workspace/b.txt", JailPaths.resolve("./a/../b.txt", "file_path"));
    assertEquals("/workspace", JailPaths.resolve(".", "path"));
  }

  @Test
  void shouldAcceptTheTwoRoots() {
    assertEquals("/workspace/x", JailPaths.resolve("/workspace/x", "file_path"));
    assertEquals("/mnt/session/outputs/r.md", JailPaths.resolve("/mnt/session/outputs/r.md", "file_path"));
  }

  @Test
  void shouldRefuseEverythingElse() {
    for (String p : new String[] {"/etc/shadow", "../../other-session/file", "/workspace/../etc/passwd", "..",
        "/workspacex/a", "/mnt/session/outputs/../secrets", "/var/lib/junction/junction.db", "/", ""}) {
      assertThrows(ToolInputException.class, () -> JailPaths.resolve(p, "file_path"), p);
    }
    assertThrows(ToolInputException.class, () -> JailPaths.resolve(null, "file_path"));
    assertThrows(ToolInputException.class, () -> JailPaths.resolve("a\0b", "file_path"));
  }
}
