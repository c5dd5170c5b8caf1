package dev.junction.tools;

import dev.junction.provider.Cancellation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static dev.junction.tools.JailFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** read, write, edit, glob and grep through a real jail, as the harness calls them. */
class FileToolsIT {
  private JailFixture jail;
  private ToolExecutor tools;

  @BeforeEach
  void open() throws Exception {
    jail = new JailFixture();
    jail.open(false, SandboxLimits.defaults());
    tools = new ToolExecutor(jail.vertx, jail.sandbox, jail.spec(false, SandboxLimits.defaults()), allTools(),
        new WebFetcher(jail.vertx, WebFetchPolicy.defaults()));
  }

  @AfterEach
  void close() throws Exception {
    await(tools.close());
    jail.close();
  }

  static Toolset allTools() {
    return Toolset.from(new JsonArray().add(new JsonObject().put("type", Toolset.TYPE)));
  }

  private ToolResult run(String tool, JsonObject input) throws Exception {
    return await(tools.run(tool, input, Cancellation.create()));
  }

  @Test
  void shouldWriteThenReadWithLineNumbers() throws Exception {
    ToolResult w = run("write", new JsonObject().put("file_path", "notes/a.txt").put("content", "alpha\nbeta\ngamma\n"));
    assertFalse(w.isError(), w.text());
    assertEquals("Wrote 17 bytes to /workspace/notes/a.txt", w.text());
    assertEquals("alpha\nbeta\ngamma\n", Files.readString(jail.work().resolve("notes/a.txt")));
    assertEquals("     1\talpha\n     2\tbeta\n     3\tgamma\n",
        run("read", new JsonObject().put("file_path", "/workspace/notes/a.txt")).text());
  }

  @Test
  void shouldReadALineRange() throws Exception {
    Files.writeString(jail.work().resolve("ten.txt"), "l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\n");
    assertEquals("     3\tl3\n     4\tl4\n",
        run("read", new JsonObject().put("file_path", "ten.txt").put("view_range", new JsonArray().add(3).add(4))).text());
    assertEquals("     9\tl9\n    10\tl10\n",
        run("read", new JsonObject().put("file_path", "ten.txt").put("view_range", new JsonArray().add(9).add(-1))).text());
    ToolResult bad = run("read", new JsonObject().put("file_path", "ten.txt").put("view_range", new JsonArray().add(5).add(2)));
    assertTrue(bad.isError());
  }

  @Test
  void shouldTruncateALargeReadWithTheMarker() throws Exception {
    Files.writeString(jail.work().resolve("big.txt"), "0123456789\n".repeat(20_000));
    ToolResult r = run("read", new JsonObject().put("file_path", "big.txt"));
    assertFalse(r.isError());
    assertTrue(r.text().contains("[output truncated: "), r.text().substring(r.text().length() - 200));
    assertTrue(r.text().length() <= 64 * 1024 + 200, "length " + r.text().length());
    assertTrue(r.text().startsWith("     1\t0123456789\n"));
    String[] lines = r.text().split("\n");
    int shown = lines.length - 1;
    assertEquals(String.format("%6d\t0123456789", shown), lines[shown - 1]);
    assertEquals("[output truncated: " + (220_000 - 11L * shown) + " bytes omitted; the next line is " + (shown + 1)
        + ", read further with view_range]", lines[shown]);
  }

  @Test
  void shouldWriteIntoOutputs() throws Exception {
    assertFalse(run("write", new JsonObject().put("file_path", "/mnt/session/outputs/report.md").put("content", "# done")).isError());
    assertEquals("# done", Files.readString(jail.outputs().resolve("report.md")));
  }

  @Test
  void shouldReportAMissingFile() throws Exception {
    ToolResult r = run("read", new JsonObject().put("file_path", "nope.txt"));
    assertTrue(r.isError());
    assertEquals("file not found: /workspace/nope.txt", r.text());
    assertTrue(run("edit", new JsonObject().put("file_path", "nope.txt").put("old_string", "a").put("new_string", "b")).isError());
  }

  @Test
  void shouldEditOneUniqueOccurrence() throws Exception {
    Files.writeString(jail.work().resolve("e.py"), "def f():\n    return 1\n\ndef g():\n    return 2\n");
    ToolResult r = run("edit", new JsonObject().put("file_path", "e.py").put("old_string", "return 2").put("new_string", "return 20"));
    assertFalse(r.isError(), r.text());
    assertEquals("def f():\n    return 1\n\ndef g():\n    return 20\n", Files.readString(jail.work().resolve("e.py")));
  }

  @Test
  void shouldRefuseANotUniqueEditUnlessReplaceAll() throws Exception {
    Files.writeString(jail.work().resolve("r.txt"), "x = 1\ny = x + x\n");
    ToolResult ambiguous = run("edit", new JsonObject().put("file_path", "r.txt").put("old_string", "x").put("new_string", "z"));
    assertTrue(ambiguous.isError());
    assertTrue(ambiguous.text().contains("occurs 3 times"), ambiguous.text());
    assertEquals("x = 1\ny = x + x\n", Files.readString(jail.work().resolve("r.txt")));
    ToolResult all = run("edit", new JsonObject().put("file_path", "r.txt").put("old_string", "x").put("new_string", "z")
        .put("replace_all", true));
    assertEquals("Edited /workspace/r.txt: replaced 3 occurrences", all.text());
    assertEquals("z = 1\ny = z + z\n", Files.readString(jail.work().resolve("r.txt")));
    ToolResult missing = run("edit", new JsonObject().put("file_path", "r.txt").put("old_string", "q").put("new_string", "w"));
    assertEquals("old_string not found in /workspace/r.txt", missing.text());
  }

  @Test
  void shouldGlobNewestFirstIncludingTopLevel() throws Exception {
    Files.createDirectories(jail.work().resolve("src/pkg"));
    Files.writeString(jail.work().resolve("top.py"), "");
    Files.writeString(jail.work().resolve("src/pkg/deep.py"), "");
    Files.writeString(jail.work().resolve("src/readme.md"), "");
    Files.setLastModifiedTime(jail.work().resolve("top.py"), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    Files.setLastModifiedTime(jail.work().resolve("src/pkg/deep.py"), FileTime.from(Instant.parse("2024-01-01T00:00:00Z")));
    assertEquals("/workspace/src/pkg/deep.py\n/workspace/top.py\n", run("glob", new JsonObject().put("pattern", "**/*.py")).text());
    assertEquals("/workspace/src/readme.md\n", run("glob", new JsonObject().put("pattern", "*.md").put("path", "src")).text());
    assertEquals("No files found", run("glob", new JsonObject().put("pattern", "*.rs")).text());
  }

  @Test
  void shouldGrepWithPathLineAndText() throws Exception {
    Files.createDirectories(jail.work().resolve("lib"));
    Files.writeString(jail.work().resolve("lib/a.java"), "class A {\n  int count = 42;\n}\n");
    Files.writeString(jail.work().resolve("lib/b.java"), "class B {\n  // no number\n}\n");
    assertEquals("/workspace/lib/a.java:2:  int count = 42;\n", run("grep", new JsonObject().put("pattern", "count\\s*=\\s*\\d+")).text());
    assertEquals("No matches", run("grep", new JsonObject().put("pattern", "zebra").put("path", "lib")).text());
    assertTrue(run("grep", new JsonObject().put("pattern", "(unclosed")).isError());
  }

  @Test
  void shouldRefuseToolsTheAgentDisabled() throws Exception {
    Toolset onlyRead = Toolset.from(new JsonArray().add(new JsonObject().put("type", Toolset.TYPE)
        .put("default_config", new JsonObject().put("enabled", false))
        .put("configs", new JsonArray().add(new JsonObject().put("name", "read").put("enabled", true)))));
    ToolExecutor limited = new ToolExecutor(jail.vertx, jail.sandbox, jail.spec(false, SandboxLimits.defaults()), onlyRead,
        new WebFetcher(jail.vertx, WebFetchPolicy.defaults()));
    try {
      ToolResult r = await(limited.run("bash", new JsonObject().put("command", "touch /workspace/x"), Cancellation.create()));
      assertTrue(r.isError());
      assertEquals("tool bash is not enabled for this agent", r.text());
      assertFalse(Files.exists(jail.work().resolve("x")));
    } finally {
      await(limited.close());
    }
  }

  @Test
  void shouldRunBashThroughTheExecutorWithExitCodeRestartAndTimeout() throws Exception {
    assertEquals("(no output)", run("bash", new JsonObject().put("command", "cd /tmp; X=5")).text());
    ToolResult failed = run("bash", new JsonObject().put("command", "echo $X; ls /nonexistent"));
    assertTrue(failed.isError());
    assertTrue(failed.text().startsWith("5\nls: cannot access '/nonexistent'"), failed.text());
    assertTrue(failed.text().endsWith("[exit code: 2]"), failed.text());
    ToolResult restarted = run("bash", new JsonObject().put("restart", true).put("command", "pwd; echo \"[$X]\""));
    assertEquals("/workspace\n[]\n", restarted.text());
    ToolResult slow = run("bash", new JsonObject().put("command", "sleep 100").put("timeout_ms", 500));
    assertTrue(slow.isError());
    assertTrue(slow.text().contains("timed out after 500 ms"), slow.text());
    assertEquals("ok\n", run("bash", new JsonObject().put("command", "echo ok")).text());
  }

  @Test
  void shouldTruncateGrepOutputWithTheMarker() throws Exception {
    Files.writeString(jail.work().resolve("many.txt"), "match line with some padding text\n".repeat(5000));
    ToolResult r = run("grep", new JsonObject().put("pattern", "^match"));
    assertFalse(r.isError());
    String text = r.text();
    int kept = text.indexOf("[output truncated: ");
    assertTrue(kept > 0 && kept <= 64 * 1024, "marker at " + kept);
    long total = 5000L * "/workspace/many.txt:1:match line with some padding text\n".length() + 9 * 1 + 90 * 2 + 900 * 3 + 4001 * 4 - 5000;
    assertEquals("[output truncated: " + (total - kept) + " bytes omitted]\n", text.substring(kept));
    assertTrue(text.startsWith("/workspace/many.txt:1:match line"));
  }

  @Test
  void shouldRefuseToReadAFifoInsteadOfHanging() throws Exception {
    assertFalse(run("bash", new JsonObject().put("command", "mkfifo pipe")).isError());
    ToolResult r = run("read", new JsonObject().put("file_path", "pipe"));
    assertTrue(r.isError());
    assertEquals("/workspace/pipe is not a regular file", r.text());
  }
}
