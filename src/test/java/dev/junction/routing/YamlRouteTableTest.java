package dev.junction.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlRouteTableTest {
  private static final Set<String> PROVIDERS = Set.of("anthropic", "openai", "local-qwen");

  private static List<String> problems(String yaml) {
    RouteConfigException e = assertThrows(RouteConfigException.class,
        () -> YamlRouteTable.parse(Map.of("routes/team.yaml", yaml), PROVIDERS));
    return e.problems();
  }

  private static void assertProblem(List<String> problems, String... fragments) {
    for (String p : problems) {
      boolean all = true;
      for (String f : fragments) {
        all &= p.contains(f);
      }
      if (all) {
        return;
      }
    }
    throw new AssertionError("no problem containing " + List.of(fragments) + " in " + problems);
  }

  @Test
  void shouldNameFileRouteAndKeyOfAnUnknownTarget() {
    List<String> p = problems("""
        targets:
          gpt: { provider: openai, model: gpt-5.4 }
        routes:
          - { name: planning, try: [gpt, gtp] }
        """);
    assertProblem(p, "routes/team.yaml", "route 'planning'", "key 'try[1]'", "unknown target 'gtp'", "gpt",
        "requested");
  }

  @Test
  void shouldNameAnUnknownProviderAndTheFix() {
    List<String> p = problems("""
        targets:
          opus: { provider: antropic, model: claude-opus-4-6 }
        routes: []
        """);
    assertProblem(p, "routes/team.yaml", "target 'opus'", "key 'provider'", "unknown provider 'antropic'",
        "anthropic, local-qwen, openai", "optional: true");
  }

  @Test
  void shouldReportBadGlobsUnknownStrategiesSubTasksAndDurations() {
    List<String> p = problems("""
        targets:
          gpt: { provider: openai, model: gpt-5.4, api: soap, breaker: { window: 0, open_for: 30 } }
        routes:
          - name: cheap
            when: { task: [titel], model: "claude-[opus", thinking: maybe, colour: red, input_tokens: { min: lots } }
            strategy: quickest
            try: [gpt]
            timeouts: { first_token: 10 }
            last_resort: pray
            weights: { opus: 2 }
          - { name: cheap, try: [] }
          - { try: [gpt] }
        """);
    assertProblem(p, "route 'cheap'", "key 'when.task'", "unknown sub-task 'titel'", "turn, compaction");
    assertProblem(p, "route 'cheap'", "key 'when.model'", "bad pattern 'claude-[opus'");
    assertProblem(p, "route 'cheap'", "key 'when.thinking'", "true or false");
    assertProblem(p, "route 'cheap'", "key 'when.colour'", "unknown key");
    assertProblem(p, "route 'cheap'", "key 'when.input_tokens.min'", "whole number of tokens");
    assertProblem(p, "route 'cheap'", "key 'strategy'", "unknown strategy 'quickest'", "ordered, weighted, fastest or cheapest");
    assertProblem(p, "route 'cheap'", "key 'timeouts.first_token'", "bad duration '10'", "30s");
    assertProblem(p, "route 'cheap'", "key 'last_resort'", "closest or fail_fast");
    assertProblem(p, "route 'cheap'", "key 'weights.opus'", "not in this route's 'try' list");
    assertProblem(p, "route 'cheap'", "key 'name'", "also used");
    assertProblem(p, "route 'cheap'", "key 'try'", "lists no target");
    assertProblem(p, "route #3", "key 'name'", "is missing");
    assertProblem(p, "target 'gpt'", "key 'api'", "messages, chat or responses");
    assertProblem(p, "target 'gpt'", "key 'breaker.window'", "above 0");
    assertProblem(p, "target 'gpt'", "key 'breaker.open_for'", "bad duration");
    assertTrue(p.stream().allMatch(s -> s.startsWith("routes/team.yaml: ")), "every line names the file: " + p);
  }

  @Test
  void shouldRejectATargetDefinedInTwoFiles() {
    RouteConfigException e = assertThrows(RouteConfigException.class, () -> YamlRouteTable.parse(Map.of(
        "a.yaml", "targets: { gpt: { provider: openai, model: gpt-5.4 } }",
        "b.yaml", "targets: { gpt: { provider: openai, model: gpt-5.2 } }"), PROVIDERS));
    assertProblem(e.problems(), "b.yaml", "target 'gpt'", "also defined in a.yaml");
  }

  @Test
  void shouldReportInvalidYaml() {
    assertProblem(problems("routes: [ { name: x, try: [a }"), "routes/team.yaml", "not valid YAML");
  }

  @Test
  void shouldParseEverySetting() {
    RouteTable table = YamlRouteTable.parse(Map.of("x.yaml", """
        targets:
          gpt: { provider: openai, model: gpt-5.4, api: responses, breaker: { window: 40, min_calls: 10, failure_rate: 25, slow_call: 5s, open_for: 1m, half_open_probes: 2, quota_cooldown: 2h } }
          qwen: { provider: vllm-box, model: qwen3-32b, optional: true }
        routes:
          - name: r
            try: [gpt, qwen]
            strategy: weighted
            weights: { gpt: 3 }
            timeouts: { first_token: 250ms, attempt: 30s, total: 2m }
            hedge: { min_delay: 400ms }
            last_resort: fail_fast
        """), PROVIDERS);
    Route r = table.routes().get(0);
    assertEquals(new RouteTimeouts(Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofMinutes(2)), r.timeouts());
    assertTrue(r.hedge().enabled());
    assertEquals(Duration.ofMillis(400), r.hedge().minDelay());
    assertEquals(Duration.ofMillis(400), r.hedge().delay(Double.NaN).compareTo(Duration.ofMillis(400)) < 0
        ? Duration.ZERO : Duration.ofMillis(400), "floor applies to the default delay too");
    assertEquals(Duration.ofMillis(900), r.hedge().delay(900));
    assertEquals(Duration.ofMillis(400), r.hedge().delay(15));
    assertEquals(LastResort.FAIL_FAST, r.lastResort());
    assertEquals(Map.of("gpt", 3), r.weights());
    assertEquals("responses", table.targets().get("gpt").api());
    assertFalse(table.targets().containsKey("qwen"), "optional target of an unconfigured provider left out");
    BreakerSettings b = table.breakerSettings("openai/gpt-5.4");
    assertEquals(40, b.window());
    assertEquals(10, b.minCalls());
    assertEquals(25f, b.failureRatePercent());
    assertEquals(80f, b.slowCallRatePercent());
    assertEquals(Duration.ofMinutes(1), b.openFor());
    assertEquals(Duration.ofHours(2), b.quotaCooldown());
    assertEquals(BreakerSettings.DEFAULTS, table.breakerSettings("anthropic/claude-opus-4-6"));
  }

  @Test
  void shouldLoadTheDefaultTableWithAnyProviderSet() {
    Path dir = Path.of("routes");
    assertEquals(List.of(), YamlRouteTable.validate(dir, PROVIDERS));
    assertEquals(List.of(), YamlRouteTable.validate(dir, Set.of("anthropic")));
    assertEquals(List.of(), YamlRouteTable.validate(dir, Set.of()));
    RouteTable all = YamlRouteTable.load(dir, PROVIDERS);
    Plan claude = all.plan(SubTask.TURN, new Attributes("claude-opus-4-6", null, null, null, null, null, null, 0,
        false), Snapshot.empty(java.time.Instant.EPOCH));
    assertEquals("requested-claude", claude.routeName());
    assertEquals(List.of("anthropic", "openai", "local-qwen"),
        claude.targets().stream().map(Target::provider).toList(), "native first, then every other provider");
    Plan gpt = all.plan(SubTask.TURN, new Attributes("o3", null, null, null, null, null, null, 0, false),
        Snapshot.empty(java.time.Instant.EPOCH));
    assertEquals(List.of("anthropic", "local-qwen"), gpt.targets().stream().skip(1).map(Target::provider).toList());
    RouteTable onlyAnthropic = YamlRouteTable.load(dir, Set.of("anthropic"));
    Plan lone = onlyAnthropic.plan(SubTask.TURN, new Attributes("claude-opus-4-6", null, null, null, null, null, null, 0,
        false), Snapshot.empty(java.time.Instant.EPOCH));
    assertEquals(List.of("requested"), lone.targets().stream().map(Target::name).toList(),
        "no other provider configured: nothing to fail over to, and no error for the optional targets");
  }

  @Test
  void shouldValidateADirectoryForTheCheckCommand(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("a.yaml"), "routes:\n  - { name: x, strategy: fastests, try: [requested] }\n");
    Files.writeString(dir.resolve("notes.txt"), "not a route file");
    List<String> problems = YamlRouteTable.validate(dir, PROVIDERS);
    assertEquals(1, problems.size(), problems.toString());
    assertProblem(problems, dir.resolve("a.yaml").toString(), "route 'x'", "key 'strategy'", "fastests");
    assertProblem(YamlRouteTable.validate(dir.resolve("missing"), PROVIDERS), "is not a directory");
  }
}
