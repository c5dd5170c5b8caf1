package dev.junction.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.junction.testing.FakeUpstream.Reply;
import dev.junction.testing.Http;
import dev.junction.testing.SseReader;
import io.vertx.core.json.JsonArray;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} after a failover: Prometheus accepts the exposition and it counts the failover. */
class MetricsExpositionIT {
  private RoutedGateway gw;

  @AfterEach
  void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
  }

  @Test
  void shouldExposeTheFailoverInAnExpositionPromtoolAccepts(@TempDir Path dir) throws Exception {
    gw = RoutedGateway.start(RoutedGateway.routes(null, null));
    gw.claude.enqueue(Reply.fixture("anthropic/error_529_overloaded.json"));
    gw.gpt.enqueue(RoutedGateway.gptText("GPT answers."));
    String s = gw.session(new JsonArray());
    try (SseReader sse = gw.stream(s, "")) {
      gw.turn(sse, s, "hello");
    }
    Http.Reply metrics = gw.http.get("/metrics", "");
    assertEquals(200, metrics.status());
    assertTrue(metrics.header("content-type").startsWith("text/plain"), metrics.header("content-type"));
    String text = metrics.body();
    assertTrue(text.contains("junction_failovers_total{from_target=\"anthropic/claude-sonnet-4-6\",reason=\"overloaded\","
        + "route=\"claude-first\"} 1.0"), text);
    assertTrue(text.contains("junction_model_attempts_total{outcome=\"overloaded\",target=\"anthropic/claude-sonnet-4-6\"} 1.0"),
        text);
    assertTrue(text.contains("junction_cost_usd_total{target=\"openai/gpt-5.4\",tenant=\"tenant-a\"}"), text);
    assertTrue(!text.contains(s), "no session id in any label");

    File promtool = promtool();
    assumeTrue(promtool != null, "promtool is not installed (Debian package prometheus)");
    Path file = dir.resolve("metrics.txt");
    Files.writeString(file, text);
    Process p = new ProcessBuilder(promtool.getPath(), "check", "metrics").redirectInput(file.toFile())
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool finished");
    String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), report);
  }

  private static File promtool() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, "promtool");
      if (f.canExecute()) {
        return f;
      }
    }
    return null;
  }
}
