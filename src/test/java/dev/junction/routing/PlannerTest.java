package dev.junction.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.provider.FailureClass;
import dev.junction.provider.Pricing;
import dev.junction.testing.FakeTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerTest {
  private static final Set<String> PROVIDERS = Set.of("anthropic", "openai", "local-qwen");
  private final FakeTime time = new FakeTime();

  private static RouteTable table(String routes) {
    return YamlRouteTable.parse(Map.of("t.yaml", """
        targets:
          opus:  { provider: anthropic, model: claude-opus-4-6 }
          haiku: { provider: anthropic, model: claude-haiku-4-5 }
          gpt:   { provider: openai, model: gpt-5.4 }
          qwen:  { provider: local-qwen, model: qwen3-32b }
        routes:
        """ + routes), PROVIDERS);
  }

  private static List<String> names(List<Target> targets) {
    return targets.stream().map(Target::name).toList();
  }

  private Snapshot snapshot(Map<String, TargetState> states) {
    return new Snapshot(time.instant(), states, (provider, model) -> switch (model) {
      case "claude-opus-4-6" -> Pricing.of("5", "25", "0", "0");
      case "claude-haiku-4-5" -> Pricing.of("1", "5", "0", "0");
      case "gpt-5.4" -> Pricing.of("2.5", "15", "0", "0");
      default -> null;
    });
  }

  private TargetState open(Duration remaining) {
    return new TargetState(BreakerState.OPEN, time.instant().plus(remaining), null, FailureClass.SERVER,
        TargetStats.NONE);
  }

  private TargetState cooling(Duration remaining) {
    return new TargetState(BreakerState.CLOSED, null, time.instant().plus(remaining), FailureClass.RATE_LIMITED,
        TargetStats.NONE);
  }

  private static TargetState measured(double latency) {
    return new TargetState(BreakerState.CLOSED, null, null, null, new TargetStats(latency, latency, 1, 0, latency, 10));
  }

  @Test
  void shouldMoveOpenAndCoolingTargetsOutOfTheWay() {
    RouteTable table = table("  - { name: r, try: [opus, gpt, qwen] }\n");
    Plan plan = table.plan(SubTask.TURN, Attributes.NONE, snapshot(Map.of(
        "anthropic/claude-opus-4-6", open(Duration.ofSeconds(10)),
        "openai/gpt-5.4", cooling(Duration.ofSeconds(3)))));
    assertEquals(List.of("qwen"), names(plan.targets()));
    assertEquals(List.of("opus", "gpt"), names(plan.skipped()));
    assertFalse(plan.lastResort());
  }

  @Test
  void shouldTreatAnOpenBreakerPastItsWaitAsAvailableForAProbe() {
    RouteTable table = table("  - { name: r, try: [opus, gpt] }\n");
    Map<String, TargetState> states = Map.of("anthropic/claude-opus-4-6", open(Duration.ofSeconds(10)));
    time.advance(Duration.ofSeconds(10).plusMillis(1));
    Plan plan = table.plan(SubTask.TURN, Attributes.NONE, snapshot(states));
    assertEquals(List.of("opus", "gpt"), names(plan.targets()));
  }

  @Test
  void shouldTryTheTargetClosestToReopeningAsLastResort() {
    RouteTable table = table("  - { name: r, try: [opus, gpt, qwen] }\n");
    Plan plan = table.plan(SubTask.TURN, Attributes.NONE, snapshot(Map.of(
        "anthropic/claude-opus-4-6", open(Duration.ofSeconds(20)),
        "openai/gpt-5.4", cooling(Duration.ofSeconds(4)),
        "local-qwen/qwen3-32b", new TargetState(BreakerState.FORCED_OPEN, null, null, FailureClass.AUTH,
            TargetStats.NONE))));
    assertTrue(plan.lastResort());
    assertEquals(List.of("gpt"), names(plan.targets()));
    assertEquals(List.of("opus", "qwen"), names(plan.skipped()));
  }

  @Test
  void shouldFailFastWhenEverythingIsOpenAndTheRouteSaysSo() {
    RouteTable table = table("  - { name: r, try: [opus, gpt], last_resort: fail_fast }\n");
    Plan plan = table.plan(SubTask.TURN, Attributes.NONE, snapshot(Map.of(
        "anthropic/claude-opus-4-6", open(Duration.ofSeconds(20)),
        "openai/gpt-5.4", cooling(Duration.ofSeconds(4)))));
    assertTrue(plan.targets().isEmpty());
    assertFalse(plan.lastResort());
    assertEquals(2, plan.skipped().size());
  }

  @Test
  void shouldNotPickAForcedOpenTargetAsLastResort() {
    RouteTable table = table("  - { name: r, try: [opus] }\n");
    Plan plan = table.plan(SubTask.TURN, Attributes.NONE, snapshot(Map.of("anthropic/claude-opus-4-6",
        new TargetState(BreakerState.FORCED_OPEN, null, null, null, TargetStats.NONE))));
    assertTrue(plan.targets().isEmpty());
  }

  @Test
  void shouldKeepRouteOrderWhenOrdered() {
    Plan plan = table("  - { name: r, try: [qwen, gpt, opus] }\n").plan(SubTask.TURN, Attributes.NONE,
        snapshot(Map.of("local-qwen/qwen3-32b", measured(900), "openai/gpt-5.4", measured(10))));
    assertEquals(List.of("qwen", "gpt", "opus"), names(plan.targets()));
    assertEquals(Strategy.ORDERED, plan.strategy());
  }

  @Test
  void shouldOrderByObservedLatencyWhenFastestWithUnmeasuredFirst() {
    Plan plan = table("  - { name: r, strategy: fastest, try: [qwen, gpt, opus, haiku] }\n").plan(SubTask.TURN,
        Attributes.NONE, snapshot(Map.of("local-qwen/qwen3-32b", measured(900), "openai/gpt-5.4", measured(120),
            "anthropic/claude-opus-4-6", measured(450))));
    assertEquals(List.of("haiku", "gpt", "opus", "qwen"), names(plan.targets()));
  }

  @Test
  void shouldOrderByPriceTimesExpectedTokensWhenCheapest() {
    RouteTable table = table("  - { name: r, strategy: cheapest, expected_output_tokens: 1000, try: [qwen, opus, gpt, haiku] }\n");
    Attributes small = new Attributes(null, null, null, null, null, null, null, 1000, false);
    assertEquals(List.of("haiku", "gpt", "opus", "qwen"),
        names(table.plan(SubTask.TURN, small, snapshot(Map.of())).targets()), "unknown price goes last");
    // opus: 5*1e6 + 25*1e3 ; gpt: 2.5*1e6 + 15e3 ; haiku: 1e6 + 5e3 -- input dominates either way
    Attributes huge = new Attributes(null, null, null, null, null, null, null, 1_000_000, false);
    assertEquals(List.of("haiku", "gpt", "opus", "qwen"), names(table.plan(SubTask.TURN, huge, snapshot(Map.of())).targets()));
  }

  @Test
  void shouldDrawWeightedOrdersInProportionWithASeededRandom() {
    RouteTable table = table("  - { name: r, strategy: weighted, weights: { opus: 8, gpt: 2 }, try: [opus, gpt] }\n");
    Random random = new Random(42);
    Map<String, Integer> firsts = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      Plan plan = table.plan(SubTask.TURN, Attributes.NONE, snapshot(Map.of()), random);
      assertEquals(2, plan.targets().size());
      firsts.merge(plan.targets().get(0).name(), 1, Integer::sum);
    }
    assertTrue(firsts.get("opus") > 740 && firsts.get("opus") < 860, "about 80% opus first: " + firsts);
    List<String> a = names(table.plan(SubTask.TURN, Attributes.NONE, snapshot(Map.of()), new Random(7)).targets());
    List<String> b = names(table.plan(SubTask.TURN, Attributes.NONE, snapshot(Map.of()), new Random(7)).targets());
    assertEquals(a, b, "same seed, same plan");
  }

  @Test
  void shouldResolveRequestedToTheNativeProvider() {
    RouteTable table = table("  - { name: r, try: [requested, gpt, qwen] }\n");
    Attributes claude = new Attributes("claude-sonnet-4-6", null, null, null, null, null, null, 0, false);
    Plan plan = table.plan(SubTask.TURN, claude, snapshot(Map.of()));
    assertEquals(new Target("requested", "anthropic", "claude-sonnet-4-6", null), plan.targets().get(0));
    Attributes gpt = new Attributes("gpt-5.4", null, null, null, null, null, null, 0, false);
    assertEquals(List.of("requested", "qwen"), names(table.plan(SubTask.TURN, gpt, snapshot(Map.of())).targets()),
        "gpt-5.4 requested and listed: one attempt, not two");
    for (String model : new String[] {"o3-mini", "o1", "o4-mini", "gpt-4o"}) {
      Target t = table.plan(SubTask.TURN, new Attributes(model, null, null, null, null, null, null, 0, false),
          snapshot(Map.of())).targets().get(0);
      assertEquals("openai", t.provider(), model);
    }
    Target qwen = table.plan(SubTask.TURN, new Attributes("qwen3-coder", null, null, null, null, null, null, 0, false),
        snapshot(Map.of())).targets().get(0);
    assertEquals(new Target("requested", "local-qwen", "qwen3-coder", null), qwen);
    Attributes unknown = new Attributes("mistral-large", null, null, null, null, null, null, 0, false);
    assertEquals(List.of("gpt", "qwen"), names(table.plan(SubTask.TURN, unknown, snapshot(Map.of())).targets()));
  }

  @Test
  void shouldResolveRequestedAgainstConfiguredNamesAndOverrides() {
    NativeProviders byName = NativeProviders.resolve(Set.of("claude-prod", "openai-eu", "my-vllm"), null, null, null);
    assertEquals(new NativeProviders("claude-prod", "openai-eu", "my-vllm"), byName);
    RouteTable table = YamlRouteTable.parse(Map.of("a.yaml", """
        native: { local: box }
        routes:
          - { name: r, try: [requested] }
        """), Set.of("box", "local-qwen"));
    assertEquals("box", table.natives().local());
    assertEquals(null, NativeProviders.resolve(Set.of("openai"), null, null, null).providerFor("claude-opus-4-6"));
  }

  @Test
  void shouldPlanTheBuiltInRequestedRouteWhenNothingMatches() {
    RouteTable table = table("  - { name: grader-only, when: { task: grader }, try: [gpt] }\n");
    Plan plan = table.plan(SubTask.TURN, new Attributes("claude-opus-4-6", null, null, null, null, null, null, 0, false),
        snapshot(Map.of()));
    assertEquals("implicit-requested", plan.routeName());
    assertEquals("anthropic", plan.targets().get(0).provider());
  }

  @Test
  void shouldReportOpenDeadlinesFromTheLaterOfBreakerAndCooldown() {
    Instant now = time.instant();
    TargetState both = new TargetState(BreakerState.OPEN, now.plusSeconds(5), now.plusSeconds(9), null, TargetStats.NONE);
    assertEquals(now.plusSeconds(9), both.reopensAt());
    assertFalse(both.available(now.plusSeconds(6)));
    assertTrue(both.available(now.plusSeconds(9)));
  }
}
