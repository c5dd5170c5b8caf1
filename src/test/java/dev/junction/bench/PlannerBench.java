package dev.junction.bench;

import dev.junction.provider.FailureClass;
import dev.junction.routing.Attributes;
import dev.junction.routing.BreakerSettings;
import dev.junction.routing.Plan;
import dev.junction.routing.RouteTable;
import dev.junction.routing.SubTask;
import dev.junction.routing.TargetRegistry;
import dev.junction.routing.YamlRouteTable;
import dev.junction.testing.FakeTime;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The routing decision per model call: a registry snapshot plus a plan over a realistic table
 * (nine routes, the matching one near the end). {@code healthy} is the baseline;
 * {@code firstTargetOpen} is the same route with its first target's breaker open, which the plan
 * must move out of the way at no extra cost; the strategies show what ordering adds;
 * {@code healthyAfterChange} pays for rebuilding the snapshot, as every request on a busy gateway does.
 *
 * <p>Run: {@code java -cp <test classpath> org.openjdk.jmh.Main PlannerBench -f 1 -wi 3 -i 5 -w 1s -r 1s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PlannerBench {
  private static final String TABLE = """
      targets:
        opus:  { provider: anthropic, model: claude-opus-4-6 }
        haiku: { provider: anthropic, model: claude-haiku-4-5 }
        gpt:   { provider: openai, model: gpt-5.4 }
        mini:  { provider: openai, model: gpt-5.4-mini }
        qwen:  { provider: local-qwen, model: qwen3-32b }
      routes:
        - { name: planning, when: { task: turn, hint: planning }, try: [opus, gpt, qwen] }
        - { name: bug-finding, when: { task: [turn, grader], hint: bug-finding }, try: [gpt, opus] }
        - { name: cheap, when: { task: [compaction, title, permission] }, strategy: fastest, try: [qwen, haiku, mini] }
        - { name: big, when: { input_tokens: { min: 150000 } }, strategy: cheapest, try: [gpt, opus, mini] }
        - { name: acme, when: { tenant: "acme-*", agent_metadata: { team: payments } }, try: [opus, gpt] }
        - { name: tools, when: { tools: ["mcp_*"] }, strategy: weighted, weights: { opus: 3 }, try: [opus, gpt] }
        - { name: thinking, when: { thinking: true, model: "o*" }, try: [requested, opus] }
        - { name: requested-claude, priority: -100, when: { model: "claude-*" }, try: [requested, gpt, qwen] }
        - { name: default, priority: -200, try: [requested, opus, gpt, qwen] }
      """;

  private RouteTable table;
  private TargetRegistry healthyRegistry;
  private TargetRegistry openRegistry;
  private Attributes claude;
  private Attributes compaction;
  private Attributes big;
  private Attributes tools;
  private final SplittableRandom random = new SplittableRandom(1);

  @Setup
  public void setUp() {
    FakeTime time = new FakeTime();
    table = YamlRouteTable.parse(Map.of("bench.yaml", TABLE), Set.of("anthropic", "openai", "local-qwen"));
    healthyRegistry = new TargetRegistry(time, id -> BreakerSettings.DEFAULTS, (p, m) -> null, null);
    openRegistry = new TargetRegistry(time, id -> BreakerSettings.DEFAULTS, (p, m) -> null, null);
    for (String id : new String[] {"anthropic/claude-sonnet-4-6", "openai/gpt-5.4", "local-qwen/qwen3-32b",
        "anthropic/claude-haiku-4-5", "openai/gpt-5.4-mini", "anthropic/claude-opus-4-6"}) {
      for (TargetRegistry r : new TargetRegistry[] {healthyRegistry, openRegistry}) {
        for (int i = 0; i < 20; i++) {
          r.tryAcquire(id);
          r.started(id);
          Duration d = Duration.ofMillis(100 + (i * 37L + id.length()) % 400);
          r.succeeded(id, true, d, d, d);
        }
      }
    }
    for (int i = 0; i < 5; i++) {
      openRegistry.tryAcquire("anthropic/claude-sonnet-4-6");
      openRegistry.started("anthropic/claude-sonnet-4-6");
      openRegistry.failed("anthropic/claude-sonnet-4-6", true, FailureClass.OVERLOADED, null, Duration.ofMillis(20));
    }
    claude = new Attributes("claude-sonnet-4-6", "agent_01", "coder", Map.of("team", "search"), Map.of(), "globex",
        Set.of("bash", "read"), 12_000, false);
    compaction = claude;
    big = new Attributes("gpt-5.4", null, null, null, null, null, null, 180_000, false);
    tools = new Attributes("claude-sonnet-4-6", null, null, null, null, null, Set.of("read", "mcp_github"), 2_000,
        false);
  }

  @Benchmark
  public Plan healthy() {
    return table.plan(SubTask.TURN, claude, healthyRegistry.snapshot(), random);
  }

  @Benchmark
  public Plan firstTargetOpen() {
    return table.plan(SubTask.TURN, claude, openRegistry.snapshot(), random);
  }

  @Benchmark
  public Plan fastest() {
    return table.plan(SubTask.COMPACTION, compaction, healthyRegistry.snapshot(), random);
  }

  @Benchmark
  public Plan cheapest() {
    return table.plan(SubTask.TURN, big, healthyRegistry.snapshot(), random);
  }

  @Benchmark
  public Plan weighted() {
    return table.plan(SubTask.TURN, tools, healthyRegistry.snapshot(), random);
  }

  /** The same as {@link #healthy()} when every request finds the snapshot stale (a busy gateway). */
  @Benchmark
  public Plan healthyAfterChange() {
    healthyRegistry.started("local-qwen/qwen3-32b");
    healthyRegistry.abandoned("local-qwen/qwen3-32b", false);
    return table.plan(SubTask.TURN, claude, healthyRegistry.snapshot(), random);
  }
}
