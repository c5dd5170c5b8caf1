package dev.junction.tools;

import dev.junction.provider.Cancellation;

import dev.junction.tools.bwrap.BwrapSandbox;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

import static dev.junction.tools.JailFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without a working bwrap, jailed tools fail with a reason an operator can act on; web_fetch still works. */
class SandboxUnavailableIT {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  @Test
  void shouldSayBubblewrapIsMissing() throws Exception {
    BwrapSandbox none = new BwrapSandbox(vertx, null);
    SandboxAvailability a = await(none.available());
    assertFalse(a.available());
    assertEquals("bubblewrap (bwrap) is not installed; install the Debian package bubblewrap to run built-in tools", a.reason());
    Path data = Files.createTempDirectory("junction-data-");
    SandboxSpec spec = SandboxSpec.forSession(data, "sesn_1", new JsonObject(), SandboxLimits.defaults());
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(none.open(spec)));
    assertInstanceOf(SandboxUnavailableException.class, e.getCause());
    assertEquals(a.reason(), e.getCause().getMessage());

    WebFetcher fetcher = new WebFetcher(vertx, WebFetchPolicy.defaults());
    ToolExecutor tools = new ToolExecutor(vertx, none, spec, FileToolsIT.allTools(), fetcher);
    try {
      ExecutionException bash = assertThrows(ExecutionException.class,
          () -> await(tools.run("bash", new JsonObject().put("command", "true"), Cancellation.create())));
      assertInstanceOf(SandboxUnavailableException.class, bash.getCause());
      ToolResult web = await(tools.run("web_fetch", new JsonObject().put("url", "http://10.0.0.1/"), Cancellation.create()));
      assertTrue(web.text().startsWith("refused: "), web.text());
      assertEquals("tool web_search is not available on this gateway",
          await(tools.run("web_search", new JsonObject().put("query", "x"), Cancellation.create())).text());
    } finally {
      await(tools.close());
      await(fetcher.close());
    }
  }

  @Test
  void shouldSayWhenBubblewrapCannotMakeAJail() throws Exception {
    SandboxAvailability a = await(new BwrapSandbox(vertx, "/bin/false").available());
    assertFalse(a.available());
    assertTrue(a.reason().startsWith("bubblewrap (bwrap) is installed but cannot create a jail here (exit 1)"), a.reason());
  }
}
