package dev.junction.tools.bwrap;

import dev.junction.testing.Eventually;
import dev.junction.provider.Cancellation;
import dev.junction.tools.ExecResult;
import dev.junction.tools.ExecResult.Ending;
import dev.junction.tools.HostProcesses;
import dev.junction.tools.JailFixture;
import dev.junction.tools.SandboxLimits;
import dev.junction.tools.SandboxSession;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.junction.tools.JailFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The persistent shell of a real bwrap jail. */
class BwrapShellIT {
  private static final Duration T = Duration.ofSeconds(20);
  private static final int CAP = 8 * 1024;
  private JailFixture jail;
  private SandboxSession s;

  @BeforeEach
  void open() throws Exception {
    jail = new JailFixture();
    s = jail.open(false, SandboxLimits.defaults().withOutputBytes(CAP));
  }

  @AfterEach
  void close() throws Exception {
    jail.close();
  }

  private ExecResult sh(String cmd) throws Exception {
    return await(s.shell(cmd, T, Cancellation.create()));
  }

  @Test
  void shouldKeepWorkingDirectoryAndVariablesBetweenCalls() throws Exception {
    assertEquals(Ending.EXITED, sh("mkdir -p sub/dir && cd sub/dir && export GREETING=hello && f() { echo fn; }").ending());
    ExecResult r = sh("pwd; echo \"$GREETING\"; f");
    assertEquals("/workspace/sub/dir\nhello\nfn\n", r.stdout().render());
    assertEquals(0, r.exitCode());
  }

  @Test
  void shouldReportExitCodeAndStderr() throws Exception {
    ExecResult r = sh("echo out; echo err >&2; (exit 7)");
    assertEquals(Ending.EXITED, r.ending());
    assertEquals(7, r.exitCode());
    assertEquals("out\nerr\n", r.stdout().render());
    assertEquals(127, sh("no-such-command-here").exitCode());
  }

  @Test
  void shouldPassQuotesAndMultiLineCommandsThrough() throws Exception {
    ExecResult r = sh("x='it'\\''s'\ncat <<'EOF'\n$x \"quoted\" 'single'\nEOF\necho \"$x\"");
    assertEquals("$x \"quoted\" 'single'\nit's\n", r.stdout().render());
  }

  @Test
  void shouldNotLetACommandReadTheNextOne() throws Exception {
    ExecResult r = sh("cat; echo after-cat");
    assertEquals("after-cat\n", r.stdout().render());
    assertEquals("still-here\n", sh("echo still-here").stdout().render());
  }

  @Test
  void shouldForgetStateOnRestart() throws Exception {
    sh("cd /tmp && export MARK=1");
    await(s.restartShell());
    assertEquals("/workspace\n[]\n", sh("pwd; echo \"[$MARK]\"").stdout().render());
  }

  @Test
  void shouldStartAFreshShellAfterTheCommandExitsTheShell() throws Exception {
    sh("cd /tmp");
    ExecResult r = sh("echo bye; exit 3");
    assertEquals(Ending.SHELL_EXITED, r.ending());
    assertEquals(3, r.exitCode());
    assertEquals("bye\n", r.stdout().render());
    assertEquals("/workspace\n", sh("pwd").stdout().render());
  }

  @Test
  void shouldKillALongCommandOnTimeoutAndWorkAgainAfterwards() throws Exception {
    long t0 = System.nanoTime();
    ExecResult r = await(s.shell("echo started; sleep 100", Duration.ofMillis(800), Cancellation.create()));
    assertEquals(Ending.TIMED_OUT, r.ending());
    assertEquals("started\n", r.stdout().render());
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(15).toNanos());
    assertEquals("again\n", sh("echo again").stdout().render());
  }

  @Test
  void shouldTruncateAnEndlessFloodWithoutHoldingIt() throws Exception {
    ExecResult r = await(s.shell("yes", Duration.ofSeconds(2), Cancellation.create()));
    assertEquals(Ending.TIMED_OUT, r.ending());
    assertTrue(r.stdout().omitted() > 10L * CAP, "omitted " + r.stdout().omitted());
    String text = r.stdout().render();
    assertTrue(text.contains("[output truncated: " + r.stdout().omitted() + " bytes omitted]"), text);
    assertTrue(text.length() <= CAP + 100, "kept " + text.length());
    assertTrue(text.startsWith("y\ny\n"));
  }

  @Test
  void shouldTruncateABinaryFloodWithoutNewlines() throws Exception {
    ExecResult r = await(s.shell("cat /dev/zero", Duration.ofSeconds(2), Cancellation.create()));
    assertEquals(Ending.TIMED_OUT, r.ending());
    assertEquals(CAP / 2, r.stdout().head().length());
    assertEquals(CAP - CAP / 2, r.stdout().tail().length());
    assertTrue(r.stdout().omitted() > 100L * CAP, "omitted " + r.stdout().omitted());
    assertEquals("ok\n", sh("echo ok").stdout().render());
  }

  @Test
  void shouldCountEveryDroppedByteOfAFiniteFlood() throws Exception {
    ExecResult r = sh("head -c 20000000 /dev/zero | tr '\\0' a; echo; echo END");
    assertEquals(Ending.EXITED, r.ending());
    assertEquals(0, r.exitCode());
    assertEquals(20_000_005L - CAP, r.stdout().omitted());
    assertTrue(r.stdout().tail().endsWith("aaa\nEND\n"));
    assertEquals(CAP / 2, r.stdout().head().length());
  }

  @Test
  void shouldKillBackgroundChildrenOnTimeout() throws Exception {
    ExecResult started = sh("sleep 9870001 & (setsid sleep 9870001 &) ; echo ok");
    assertEquals("ok\n", started.stdout().render());
    Eventually.assertTrue("the jailed sleeps are visible from the host",
        () -> HostProcesses.withArgument("9870001") == 2, 5000);
    assertEquals(Ending.TIMED_OUT, await(s.shell("sleep 100", Duration.ofMillis(300), Cancellation.create())).ending());
    Eventually.assertTrue("no jailed sleep survives the timeout", () -> HostProcesses.withArgument("9870001") == 0, 10000);
  }

  @Test
  void shouldReturnPromptlyAndKillEverythingWhenCancelled() throws Exception {
    Cancellation c = Cancellation.create();
    Future<ExecResult> running = s.shell("sleep 9870002 & sleep 9870002", Duration.ofMinutes(5), c);
    Eventually.assertTrue("the command runs", () -> HostProcesses.withArgument("9870002") == 2, 5000);
    long t0 = System.nanoTime();
    c.cancel();
    ExecResult r = await(running, Duration.ofSeconds(10));
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos(), "cancel took too long");
    assertEquals(Ending.CANCELLED, r.ending());
    Eventually.assertTrue("nothing survives the cancel", () -> HostProcesses.withArgument("9870002") == 0, 10000);
    assertEquals("fresh\n", sh("echo fresh").stdout().render());
  }

  @Test
  void shouldKillEverythingOnClose() throws Exception {
    sh("for i in 1 2 3 4 5; do (sleep 9870003 &); done; nohup sleep 9870003 >/dev/null 2>&1 &");
    Eventually.assertTrue("six jailed sleeps run", () -> HostProcesses.withArgument("9870003") == 6, 5000);
    await(s.close());
    Eventually.assertTrue("none survives close", () -> HostProcesses.withArgument("9870003") == 0, 10000);
  }

  @Test
  void shouldCutOffAForkBombAtTheTimeout() throws Exception {
    ExecResult r = await(s.shell("b() { sleep 9870004 & b & }; b", Duration.ofSeconds(2), Cancellation.create()));
    // The bomb backgrounds itself, so the command may return at once; the watchdog (as root) may also win.
    assertTrue(r.ending() != Ending.CANCELLED && r.ending() != Ending.SHELL_EXITED, r.ending().toString());
    await(s.close());
    Eventually.assertTrue("no process of the bomb survives", () -> HostProcesses.withArgument("9870004") == 0, 20000);
  }

  @Test
  void shouldKillAJailThatStartsTooManyProcesses() throws Exception {
    Assumptions.assumeTrue(ProcessWatchdog.needed(),
        "not running as root: the kernel's ulimit -u caps jailed processes and the watchdog stays off");
    await(s.close());
    s = await(jail.sandbox.open(jail.spec(false, SandboxLimits.defaults().withProcesses(40))));
    jail.session = s;
    long t0 = System.nanoTime();
    ExecResult r = await(s.shell("for i in $(seq 300); do sleep 9870006 & done; sleep 60", Duration.ofSeconds(90),
        Cancellation.create()));
    assertEquals(Ending.PROCESS_LIMIT, r.ending());
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(30).toNanos());
    Eventually.assertTrue("the jail's processes are gone", () -> HostProcesses.withArgument("9870006") == 0, 10000);

    // Background processes multiplying after their command returned are caught as well.
    sh("for i in $(seq 300); do (sleep 9870007 &); done; echo spawned");
    Eventually.assertTrue("the runaway shell is killed", () -> HostProcesses.withArgument("9870007") == 0, 10000);
    assertEquals("ok\n", sh("echo ok").stdout().render());
  }

  @Test
  void shouldRunOneShotCommandsWithSeparateStreamsAndStdin() throws Exception {
    ExecResult r = await(s.exec(java.util.List.of("/bin/sh", "-c", "tr a-z A-Z; echo oops >&2; exit 4"),
        "hello".getBytes(), 1024, T, Cancellation.create()));
    assertEquals(4, r.exitCode());
    assertEquals("HELLO", r.stdout().render());
    assertEquals("oops\n", r.stderr().render());
  }

  @Test
  void shouldTimeOutOneShotCommands() throws Exception {
    ExecResult r = await(s.exec(java.util.List.of("/bin/sleep", "100"), new byte[0], 1024, Duration.ofMillis(500),
        Cancellation.create()));
    assertEquals(Ending.TIMED_OUT, r.ending());
  }
}
