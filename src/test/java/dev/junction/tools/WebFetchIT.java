package dev.junction.tools;

import dev.junction.provider.Cancellation;

import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static dev.junction.tools.JailFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** web_fetch against a local server: refused by default, reachable only with the test flag and an open network. */
class WebFetchIT {
  private io.vertx.core.Vertx vertx;
  private HttpServer server;
  private int port;
  private final AtomicInteger hits = new AtomicInteger();
  private WebFetcher fetcher;

  @BeforeEach
  void start() throws Exception {
    vertx = io.vertx.core.Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(req -> {
      hits.incrementAndGet();
      switch (req.path()) {
        case "/page" -> req.response().putHeader("content-type", "text/html; charset=utf-8")
            .end("<html><head><title>T</title><script>var x=1;</script></head><body><h1>Hello &amp; welcome</h1>"
                + "<p>First para.</p><ul><li>one</li><li>two</li></ul></body></html>");
        case "/big" -> req.response().putHeader("content-type", "text/plain").end("z".repeat(200_000));
        case "/host" -> req.response().putHeader("content-type", "text/plain").end("host=" + req.getHeader("host"));
        case "/hop" -> req.response().setStatusCode(302).putHeader("location", "/page").end();
        case "/image" -> req.response().putHeader("content-type", "image/png").end("\u0089PNG");
        default -> req.response().setStatusCode(404).putHeader("content-type", "text/plain").end("no such page");
      }
    });
    port = await(server.listen(0, "127.0.0.1")).actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    if (fetcher != null) {
      await(fetcher.close());
    }
    await(server.close());
    await(vertx.close());
  }

  private ToolResult fetch(WebFetchPolicy policy, boolean network, String url) throws Exception {
    if (fetcher == null) {
      fetcher = new WebFetcher(vertx, policy);
    }
    return await(fetcher.fetch(new JsonObject().put("url", url), network, new JsonObject(), Cancellation.create()));
  }

  @Test
  void shouldRefusePrivateLoopbackAndLinkLocalAddresses() throws Exception {
    for (String url : new String[] {
        "http://127.0.0.1:" + port + "/page", "http://localhost:" + port + "/page", "http://10.1.2.3/",
        "http://172.16.0.1/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0:" + port + "/",
        "http://[::1]:" + port + "/", "http://[fd00::1]/", "http://[fe80::1]/", "http://[::ffff:127.0.0.1]:" + port + "/"}) {
      ToolResult r = fetch(WebFetchPolicy.defaults(), true, url);
      assertTrue(r.isError(), url + " was fetched");
      assertTrue(r.text().startsWith("refused: "), r.text());
    }
    assertEquals(0, hits.get());
  }

  @Test
  void shouldRefuseOtherSchemes() throws Exception {
    assertTrue(fetch(WebFetchPolicy.defaults(), true, "file:///etc/passwd").text().startsWith("refused: only http and https"));
    assertTrue(fetch(WebFetchPolicy.defaults(), true, "ftp://example.com/").isError());
  }

  @Test
  void shouldNotReachPrivateAddressesWithTheTestFlagWhenTheEnvironmentHasNoNetwork() throws Exception {
    ToolResult r = fetch(WebFetchPolicy.defaults().allowingPrivateAddressesForTests(), false, "http://127.0.0.1:" + port + "/page");
    assertTrue(r.text().startsWith("refused: "), r.text());
    assertEquals(0, hits.get());
  }

  @Test
  void shouldFetchHtmlAsTextWithTheTestFlagAndAnOpenNetwork() throws Exception {
    ToolResult r = fetch(WebFetchPolicy.defaults().allowingPrivateAddressesForTests(), true, "http://127.0.0.1:" + port + "/hop");
    assertFalse(r.isError(), r.text());
    assertEquals("URL: http://127.0.0.1:" + port + "/page\nStatus: 200\nContent-Type: text/html; charset=utf-8\n\n"
        + "Hello & welcome\nFirst para.\n\n- one\n- two", r.text());
    assertEquals(2, hits.get());
  }

  @Test
  void shouldTruncateALargeBody() throws Exception {
    ToolResult r = fetch(WebFetchPolicy.defaults().allowingPrivateAddressesForTests().withMaxBodyBytes(10_000), true,
        "http://127.0.0.1:" + port + "/big");
    assertFalse(r.isError());
    assertTrue(r.text().contains("z".repeat(10_000) + "\n[output truncated: body larger than 10000 bytes"), r.text().substring(0, 100));
    assertFalse(r.text().contains("z".repeat(10_001)));
  }

  @Test
  void shouldReportHttpErrorsAndBinaryBodiesAsErrors() throws Exception {
    WebFetchPolicy p = WebFetchPolicy.defaults().allowingPrivateAddressesForTests();
    ToolResult missing = fetch(p, true, "http://127.0.0.1:" + port + "/missing");
    assertTrue(missing.isError());
    assertTrue(missing.text().contains("Status: 404") && missing.text().endsWith("no such page"), missing.text());
    assertTrue(fetch(p, true, "http://127.0.0.1:" + port + "/image").text().contains("image/png"));
  }

  @Test
  void shouldHonourBlockedAndAllowedDomains() throws Exception {
    fetcher = new WebFetcher(vertx, WebFetchPolicy.defaults());
    JsonObject blocked = new JsonObject().put("blocked_domains", new JsonArray().add("example.com"));
    ToolResult r = await(fetcher.fetch(new JsonObject().put("url", "https://docs.example.com/x"), true, blocked, Cancellation.create()));
    assertEquals("refused: docs.example.com is in blocked_domains", r.text());
    JsonObject allowed = new JsonObject().put("allowed_domains", new JsonArray().add("example.org"));
    ToolResult r2 = await(fetcher.fetch(new JsonObject().put("url", "https://example.com/"), true, allowed, Cancellation.create()));
    assertEquals("refused: example.com is not in allowed_domains", r2.text());
  }

  @Test
  void shouldConnectToTheCheckedAddressAndSendTheNameAsHost() throws Exception {
    ToolResult r = fetch(WebFetchPolicy.defaults().allowingPrivateAddressesForTests(), true, "http://localhost:" + port + "/host");
    assertFalse(r.isError(), r.text());
    assertTrue(r.text().endsWith("\n\nhost=localhost:" + port), r.text());
  }
}
