package dev.junction.bench;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.junction.provider.Message;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ProviderClient;
import dev.junction.provider.ProviderClients;
import dev.junction.provider.ProviderConfig;
import dev.junction.provider.ProviderKind;
import dev.junction.routing.BreakerSettings;
import dev.junction.routing.FailoverExecutor;
import dev.junction.routing.ProviderDirectory;
import dev.junction.routing.RouteRequest;
import dev.junction.routing.RouteTable;
import dev.junction.routing.SubTask;
import dev.junction.routing.TargetRegistry;
import dev.junction.routing.YamlRouteTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutionException;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What failover costs end to end, over loopback HTTP through real provider clients: a call to a
 * healthy target ({@code healthy}, the baseline), the same call when the first target answers 529
 * at once and the call fails over ({@code failoverAfterFastError}), that 529 alone
 * ({@code fastErrorOnly}: the error latency the failover must not exceed by more than 2 ms), and
 * the call when the first target's breaker is open ({@code firstTargetOpen}: must stay within
 * 0.1 ms of the baseline).
 *
 * <p>Run: {@code java -cp <test classpath> org.openjdk.jmh.Main FailoverBench -f 1 -wi 3 -i 5 -w 2s -r 2s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FailoverBench {
  private static final String REPLY = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
      + "\"claude-sonnet-4-6\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],\"stop_reason\":\"end_turn\","
      + "\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}";
  private static final String OVERLOADED = "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
      + "\"message\":\"Overloaded\"}}";

  private Vertx vertx;
  private HttpServer down;
  private HttpServer up;
  private ProviderDirectory providers;
  private FailoverExecutor healthy;
  private FailoverExecutor failover;
  private FailoverExecutor errorOnly;
  private FailoverExecutor open;
  private RouteRequest request;

  @Setup
  public void setUp() {
    vertx = Vertx.vertx();
    down = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> req.response().setStatusCode(529)
        .putHeader("content-type", "application/json").end(OVERLOADED))).listen(0, "127.0.0.1").await();
    up = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> req.response()
        .putHeader("content-type", "application/json").end(REPLY))).listen(0, "127.0.0.1").await();
    Clock clock = Clock.systemUTC();
    ProviderClient a = ProviderClients.create(vertx, ProviderConfig.of("primary", ProviderKind.ANTHROPIC,
        "http://127.0.0.1:" + down.actualPort(), "k"), clock);
    ProviderClient b = ProviderClients.create(vertx, ProviderConfig.of("backup", ProviderKind.ANTHROPIC,
        "http://127.0.0.1:" + up.actualPort(), "k"), clock);
    providers = new ProviderDirectory(Map.of("primary", a, "backup", b), vertx, clock);
    healthy = executor("[backup]", null);
    failover = executor("[primary, backup]", "closed");
    errorOnly = executor("[primary]", "closed");
    open = executor("[primary, backup]", "open");
    request = RouteRequest.of(SubTask.TURN, ModelRequest.builder("claude-sonnet-4-6").message(Message.user("hi"))
        .maxTokens(16).build());
  }

  /** @param primaryBreaker held closed (so every call fails over) or held open, or untouched */
  private FailoverExecutor executor(String targets, String primaryBreaker) {
    RouteTable table = YamlRouteTable.parse(Map.of("bench.yaml", """
        targets:
          primary: { provider: primary, model: claude-sonnet-4-6 }
          backup:  { provider: backup, model: claude-sonnet-4-6 }
        routes:
          - { name: r, try: %s }
        """.formatted(targets)), providers.names());
    TargetRegistry registry = new TargetRegistry(Clock.systemUTC(), id -> BreakerSettings.DEFAULTS,
        providers.prices(), null);
    if ("closed".equals(primaryBreaker)) {
      registry.forceClosed("primary/claude-sonnet-4-6");
    } else if ("open".equals(primaryBreaker)) {
      registry.forceOpen("primary/claude-sonnet-4-6");
    }
    return new FailoverExecutor(vertx, () -> table, registry, providers, null, Ticker.systemTicker());
  }

  @TearDown
  public void tearDown() {
    vertx.close().await();
  }

  private static Object await(Future<?> future) throws InterruptedException, ExecutionException {
    try {
      return future.toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      return e.getCause(); // fastErrorOnly fails by design
    }
  }

  @Benchmark
  public Object healthy() throws Exception {
    return await(healthy.execute(request));
  }

  @Benchmark
  public Object failoverAfterFastError() throws Exception {
    return await(failover.execute(request));
  }

  @Benchmark
  public Object fastErrorOnly() throws Exception {
    return await(errorOnly.execute(request));
  }

  @Benchmark
  public Object firstTargetOpen() throws Exception {
    return await(open.execute(request));
  }
}
