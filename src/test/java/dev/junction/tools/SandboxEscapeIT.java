package dev.junction.tools;

import dev.junction.provider.Cancellation;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.junction.tools.JailFixture.SECRET;
import static dev.junction.tools.JailFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a model could try to get out of its jail: other files of the host, the gateway's data
 * directory and keys, the gateway's environment, the network.
 */
class SandboxEscapeIT {
  private JailFixture jail;
  private ToolExecutor tools;

  @BeforeEach
  void open() throws Exception {
    jail = new JailFixture();
    jail.open(false, SandboxLimits.defaults());
    tools = executor(jail.spec(false, SandboxLimits.defaults()));
  }

  private ToolExecutor executor(SandboxSpec spec) {
    return new ToolExecutor(jail.vertx, jail.sandbox, spec, FileToolsIT.allTools(), new WebFetcher(jail.vertx, WebFetchPolicy.defaults()));
  }

  @AfterEach
  void close() throws Exception {
    await(tools.close());
    jail.close();
  }

  private ToolResult run(String tool, JsonObject input) throws Exception {
    return await(tools.run(tool, input, Cancellation.create()));
  }

  private ToolResult bash(String command) throws Exception {
    return run("bash", new JsonObject().put("command", command));
  }

  private void assertRefusedRead(String path) throws Exception {
    ToolResult r = run("read", new JsonObject().put("file_path", path));
    assertTrue(r.isError(), path + " was readable: " + r.text());
    assertFalse(r.text().contains(SECRET), r.text());
  }

  @Test
  void shouldRefuseFileToolsOutsideTheSessionDirectories() throws Exception {
    assertRefusedRead("/etc/shadow");
    assertRefusedRead("/etc/passwd");
    assertRefusedRead("../../sesn_other/work/file");
    assertRefusedRead("/workspace/../../../sessions/sesn_other/work/file");
    assertRefusedRead(jail.dataDir.resolve("junction.db").toString());
    assertRefusedRead(jail.otherSessionFile.toString());
    ToolResult w = run("write", new JsonObject().put("file_path", "../keys").put("content", "overwritten"));
    assertTrue(w.isError());
    assertEquals("default:" + SECRET + "\n", Files.readString(jail.dataDir.resolve("keys")));
    assertTrue(run("write", new JsonObject().put("file_path", jail.dataDir.resolve("evil").toString()).put("content", "x")).isError());
    assertFalse(Files.exists(jail.dataDir.resolve("evil")));
    assertTrue(run("glob", new JsonObject().put("pattern", "*").put("path", "/")).isError());
    assertTrue(run("grep", new JsonObject().put("pattern", "sk-ant").put("path", jail.dataDir.toString())).isError());
  }

  @Test
  void shouldNotFollowSymlinksOutOfTheWorkspace() throws Exception {
    Files.createSymbolicLink(jail.work().resolve("data"), jail.dataDir);
    Files.createSymbolicLink(jail.work().resolve("db"), jail.dataDir.resolve("junction.db"));
    assertRefusedRead("/workspace/data/junction.db");
    assertRefusedRead("db");
    ToolResult w = run("write", new JsonObject().put("file_path", "data/planted").put("content", "x"));
    assertTrue(w.isError(), w.text());
    assertFalse(Files.exists(jail.dataDir.resolve("planted")));
    ToolResult e = run("edit", new JsonObject().put("file_path", "data/keys").put("old_string", "default").put("new_string", "x"));
    assertTrue(e.isError());
    assertEquals("default:" + SECRET + "\n", Files.readString(jail.dataDir.resolve("keys")));
    ToolResult viaBash = bash("cat data/junction.db db data/keys");
    assertTrue(viaBash.isError());
    assertFalse(viaBash.text().contains(SECRET), viaBash.text());
    assertTrue(run("grep", new JsonObject().put("pattern", "sk-ant")).text().equals("No matches"));
  }

  @Test
  void shouldRefuseSymlinksTheModelMakesInsideTheJail() throws Exception {
    assertFalse(bash("ln -s / root && ln -s ../../.. up && ln -s /proc/1 p1").isError());
    assertRefusedRead("root/etc/passwd");
    assertRefusedRead("up/junction.db");
    assertRefusedRead("p1/environ");
    ToolResult w = run("write", new JsonObject().put("file_path", "root/tmp/x").put("content", "x"));
    assertTrue(w.isError(), w.text());
    assertTrue(w.text().contains("outside /workspace"), w.text());
  }

  @Test
  void shouldHideTheDataDirectoryFromBash() throws Exception {
    ToolResult found = bash("find / -path /proc -prune -o \\( -name junction.db -o -name sesn_other -o -name '"
        + jail.dataDir.getFileName() + "' \\) -print 2>/dev/null; echo done");
    assertEquals("done\n", found.text());
    ToolResult secret = bash("grep -rl '" + SECRET + "' / --exclude-dir=proc --exclude-dir=sys --exclude-dir=usr 2>/dev/null; echo done");
    assertEquals("done\n", secret.text());
    ToolResult direct = bash("cat " + jail.dataDir.resolve("junction.db") + " ../junction.db ../../junction.db " + jail.otherSessionFile);
    assertTrue(direct.isError());
    assertFalse(direct.text().contains(SECRET));
    assertEquals("bin\ndev\netc\nlib\nlib64\nmnt\nproc\nsbin\ntmp\nusr\nworkspace\n", bash("ls / | grep -v '^lib32$\\|^libx32$'").text());
    Files.writeString(jail.work().resolve("mine.txt"), "visible");
    assertEquals("visible", bash("cat mine.txt").text());
  }

  @Test
  void shouldGiveBashACleanEnvironment() throws Exception {
    ToolResult env = bash("env -0 | cut -z -d= -f1 | tr '\\0' '\\n' | sort");
    Set<String> names = new TreeSet<>(Arrays.asList(env.text().strip().split("\n")));
    assertEquals(new TreeSet<>(Set.of("HOME", "LANG", "PATH", "PWD", "SHLVL", "TERM", "USER", "_")), names);
    // Every variable of the gateway is absent, including from the environment of other jailed processes.
    String allEnvirons = bash("cat /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n'").text();
    for (Map.Entry<String, String> v : System.getenv().entrySet()) {
      if (v.getValue().length() >= 6 && !Set.of("HOME", "LANG", "PATH", "TERM", "USER", "PWD", "SHLVL").contains(v.getKey())) {
        assertFalse(allEnvirons.contains(v.getKey() + "=" + v.getValue()), "leaked " + v.getKey());
      }
    }
    assertEquals("uid=1000(sandbox) gid=1000(sandbox) groups=1000(sandbox)\n", bash("id").text());
    assertEquals("0000000000000000\n", bash("grep CapEff /proc/self/status | cut -f2").text());
  }

  @Test
  void shouldRefuseTheNetworkUnlessTheEnvironmentAllowsIt() throws Exception {
    AtomicInteger accepted = new AtomicInteger();
    NetServer server = jail.vertx.createNetServer().connectHandler(s -> {
      accepted.incrementAndGet();
      s.close();
    });
    int port = await(server.listen(0, "127.0.0.1")).actualPort();
    try {
      String probe = "echo > /dev/tcp/127.0.0.1/" + port + " && echo connected";
      ToolResult jailed = bash(probe);
      assertTrue(jailed.isError(), jailed.text());
      assertFalse(jailed.text().contains("connected"));
      assertEquals("lo\n", bash("ls /sys/class/net 2>/dev/null || awk -F: 'NR>2{gsub(/ /,\"\",$1); print $1}' /proc/net/dev").text());
      assertEquals(0, accepted.get());

      // The same probe from a jail whose environment is unrestricted does connect: the refusal above
      // is the jail's doing, not the test's.
      SandboxSpec open = new SandboxSpec("sesn_net", jail.dataDir.resolve("sessions/sesn_net/work"),
          jail.dataDir.resolve("sessions/sesn_net/outputs"), true, SandboxLimits.defaults());
      ToolExecutor networked = executor(open);
      try {
        ToolResult ok = await(networked.run("bash", new JsonObject().put("command", probe), Cancellation.create()));
        assertEquals("connected\n", ok.text());
        dev.junction.testing.Eventually.assertTrue("the server saw the connection", () -> accepted.get() == 1, 5000);
      } finally {
        await(networked.close());
      }
    } finally {
      await(server.close());
    }
  }

  @Test
  void shouldKeepSystemDirectoriesReadOnly() throws Exception {
    ToolResult r = bash("touch /usr/bin/planted; echo > /etc/hosts; touch /planted; echo rc=$?");
    assertTrue(r.text().contains("Read-only file system"), r.text());
    assertTrue(r.text().endsWith("rc=1\n"), r.text());
    assertFalse(Files.exists(Path.of("/usr/bin/planted")));
  }
}
