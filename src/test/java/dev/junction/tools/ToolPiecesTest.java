package dev.junction.tools;

import dev.junction.provider.Cancellation;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure parts of the tools: numbering, counting, matching, HTML, limits, specs, cancellation. */
class ToolPiecesTest {

  @Test
  void shouldNumberLinesFromTheRangeStart() {
    assertEquals("     7\ta\n     8\tb\n", ReadTool.numbered(new Output("a\nb\n", "", 0), 7, true, 1000));
    assertEquals("     1\tno newline\n", ReadTool.numbered(new Output("no newline", "", 0), 1, false, 1000));
    assertEquals("(empty file)", ReadTool.numbered(Output.EMPTY, 1, false, 1000));
    assertEquals("(no lines in that range)", ReadTool.numbered(Output.EMPTY, 5, true, 1000));
  }

  @Test
  void shouldDropAPartialLastLineWhenTruncated() {
    String r = ReadTool.numbered(new Output("one\ntwo\nthr", "", 100), 1, false, 1000);
    assertEquals("     1\tone\n     2\ttwo\n[output truncated: 103 bytes omitted; the next line is 3, read further with view_range]\n", r);
  }

  @Test
  void shouldCountOccurrencesWithoutOverlap() {
    assertEquals(2, EditTool.occurrences("aaaa", "aa"));
    assertEquals(0, EditTool.occurrences("abc", "d"));
    assertEquals(3, EditTool.occurrences("x = x + x", "x"));
  }

  @Test
  void shouldPlanEditsOrSayWhyNot() {
    assertEquals("a-X-b", EditTool.plan("a-x-b", "/workspace/f", "x", "X", false).updated());
    assertEquals("X X", EditTool.plan("x x", "/workspace/f", "x", "X", true).updated());
    assertEquals(2, EditTool.plan("x x", "/workspace/f", "x", "X", true).count());
    assertEquals("old_string occurs 2 times in /workspace/f; include more surrounding text to make it unique, "
        + "or set replace_all to true", EditTool.plan("x x", "/workspace/f", "x", "X", false).error().text());
    assertTrue(EditTool.plan("bad \uFFFD byte", "/workspace/f", "bad", "good", false).error().isError());
  }

  @Test
  void shouldMatchGlobsAtAnyDepthIncludingTheTop() {
    var ms = GlobTool.matchers("**/*.py");
    assertTrue(ms.stream().anyMatch(m -> m.matches(Path.of("top.py"))));
    assertTrue(ms.stream().anyMatch(m -> m.matches(Path.of("a/b/c.py"))));
    assertFalse(ms.stream().anyMatch(m -> m.matches(Path.of("a/b/c.pyc"))));
    assertTrue(GlobTool.matchers("src/*.{ts,tsx}").get(0).matches(Path.of("src/x.tsx")));
    assertThrows(ToolInputException.class, () -> GlobTool.matchers("[unclosed"));
  }

  @Test
  void shouldCapGlobResults() {
    List<GlobTool.Entry> many = new ArrayList<>();
    for (int i = 0; i < GlobTool.MAX_RESULTS + 5; i++) {
      many.add(new GlobTool.Entry(i, "/workspace/f" + i));
    }
    String r = GlobTool.render(many, false);
    assertTrue(r.startsWith("/workspace/f" + (GlobTool.MAX_RESULTS + 4) + "\n"));
    assertTrue(r.endsWith("[5 more files not shown; narrow the pattern]\n"));
  }

  @Test
  void shouldReduceHtmlToText() {
    assertEquals("Title\nA & B <c>\n\n- x\n- y",
        HtmlText.toText("<!-- c --><style>p{}</style><h1>Title</h1><p>A &amp; B &lt;c&gt;</p><ul><li>x</li><li>y</li></ul><script>alert(1)</script>"));
  }

  @Test
  void shouldCapRequestedTimeouts() {
    SandboxLimits l = SandboxLimits.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(60));
    assertEquals(Duration.ofSeconds(5), l.timeoutFor(null));
    assertEquals(Duration.ofMillis(1500), l.timeoutFor(1500L));
    assertEquals(Duration.ofSeconds(60), l.timeoutFor(3_600_000L));
    assertThrows(IllegalArgumentException.class, () -> SandboxLimits.defaults().withTimeouts(Duration.ofSeconds(9), Duration.ofSeconds(1)));
  }

  @Test
  void shouldLaySessionsOutUnderTheDataDirectory() {
    JsonObject unrestricted = new JsonObject().put("type", "cloud").put("networking", new JsonObject().put("type", "unrestricted"));
    SandboxSpec s = SandboxSpec.forSession(Path.of("/var/lib/junction"), "sesn_01", unrestricted, SandboxLimits.defaults());
    assertEquals(Path.of("/var/lib/junction/sessions/sesn_01/work"), s.workDir());
    assertEquals(Path.of("/var/lib/junction/sessions/sesn_01/outputs"), s.outputsDir());
    assertTrue(s.network());
    JsonObject limited = new JsonObject().put("networking", new JsonObject().put("type", "limited"));
    assertFalse(SandboxSpec.networkAllowed(limited));
    assertFalse(SandboxSpec.networkAllowed(new JsonObject()));
    assertFalse(SandboxSpec.networkAllowed(null));
    assertThrows(IllegalArgumentException.class, () -> SandboxSpec.forSession(Path.of("/d"), "../x", null, SandboxLimits.defaults()));
  }

  @Test
  void shouldRunCancelCallbacksOnceIncludingLateOnes() {
    Cancellation c = Cancellation.create();
    AtomicInteger runs = new AtomicInteger();
    c.onCancel(runs::incrementAndGet);
    Runnable unregistered = c.onCancel(() -> runs.addAndGet(100));
    unregistered.run();
    c.cancel();
    c.cancel();
    assertEquals(1, runs.get());
    c.onCancel(runs::incrementAndGet);
    assertEquals(2, runs.get());
    assertTrue(c.isCancelled());
  }
}
