package dev.junction.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.junction.provider.Cost;
import dev.junction.provider.Usage;
import java.io.File;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetricsTest {

  private static Metrics populated() {
    Metrics metrics = Metrics.create();
    metrics.attempt("anthropic/claude-sonnet-4-6", "overloaded", 0.012);
    metrics.attempt("openai/gpt-5.2", "ok", 0.84);
    metrics.firstToken("openai/gpt-5.2", 0.31);
    metrics.breakerState("anthropic/claude-sonnet-4-6", 2);
    metrics.failover("planning", "anthropic/claude-sonnet-4-6", "overloaded");
    metrics.hedge("planning");
    metrics.request("planning", "ok");
    metrics.usage("openai/gpt-5.2", "acme", new Usage(1200, 300, 50, 0), new Cost(new BigDecimal("0.006300")));
    metrics.inFlight("openai/gpt-5.2", 1);
    metrics.inFlight("openai/gpt-5.2", -1);
    return metrics;
  }

  @Test
  void shouldExposeEveryFamily() {
    String text = populated().scrapeText();
    for (String line : new String[] {
        "junction_model_attempts_total{outcome=\"overloaded\",target=\"anthropic/claude-sonnet-4-6\"} 1.0",
        "junction_model_attempt_duration_seconds_count{outcome=\"ok\",target=\"openai/gpt-5.2\"} 1",
        "junction_time_to_first_token_seconds_bucket{target=\"openai/gpt-5.2\",le=\"0.5\"} 1",
        "junction_breaker_state{target=\"anthropic/claude-sonnet-4-6\"} 2.0",
        "junction_failovers_total{from_target=\"anthropic/claude-sonnet-4-6\",reason=\"overloaded\",route=\"planning\"} 1.0",
        "junction_hedges_total{route=\"planning\"} 1.0",
        "junction_routed_requests_total{outcome=\"ok\",route=\"planning\"} 1.0",
        "junction_tokens_total{kind=\"input\",target=\"openai/gpt-5.2\",tenant=\"acme\"} 1200.0",
        "junction_tokens_total{kind=\"cache_read\",target=\"openai/gpt-5.2\",tenant=\"acme\"} 50.0",
        "junction_cost_usd_total{target=\"openai/gpt-5.2\",tenant=\"acme\"} 0.0063",
        "junction_inflight_attempts{target=\"openai/gpt-5.2\"} 0.0"}) {
      assertTrue(text.contains(line), "missing " + line + " in\n" + text);
    }
    assertFalse(text.contains("kind=\"cache_write\""), "zero counts add no series");
  }

  @Test
  void shouldCapLabelValuesSoCallersCannotGrowTheExposition() {
    Metrics metrics = Metrics.create();
    for (int i = 0; i < 1000; i++) {
      metrics.usage("anthropic/claude-x-" + i, "tenant-" + i, new Usage(1, 0, 0, 0), Cost.UNKNOWN);
    }
    String text = metrics.scrapeText();
    long series = text.lines().filter(l -> l.startsWith("junction_tokens_total{")).count();
    assertEquals(501, series, "200 targets x 500 tenants are capped; the rest share 'other'");
    assertTrue(text.contains("target=\"other\",tenant=\"other\""));
  }

  @Test
  void shouldPassPromtoolCheckMetrics() throws Exception {
    File promtool = new File("/usr/bin/promtool");
    assumeTrue(promtool.canExecute(), "promtool is not installed (Debian package 'prometheus')");
    Process process = new ProcessBuilder(promtool.getPath(), "check", "metrics").redirectErrorStream(true).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(populated().scrape());
    }
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), output);
  }
}
