package dev.junction.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.junction.metrics.Metrics;
import dev.junction.provider.EventStream;
import dev.junction.provider.FailureClass;
import dev.junction.provider.Message;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.ProviderClient;
import dev.junction.provider.ProviderClients;
import dev.junction.provider.ProviderConfig;
import dev.junction.provider.ProviderKind;
import dev.junction.provider.ToolDefinition;
import dev.junction.testing.FakeTime;
import dev.junction.testing.FakeUpstream;
import dev.junction.testing.FakeUpstream.Reply;
import dev.junction.testing.Fixtures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The executor against real provider clients over real HTTP, with scripted upstreams on loopback.
 * Breakers and cooldowns read a fake clock the test moves; timeouts and hedges use real Vert.x
 * timers, kept short.
 */
@ExtendWith(VertxExtension.class)
class FailoverExecutorIT {
  private static final String TARGETS = """
      targets:
        claude: { provider: anthropic, model: claude-sonnet-4-6 }
        gpt:    { provider: openai, model: gpt-5.2 }
        qwen:   { provider: local-qwen, model: qwen3-32b }
      routes:
      """;
  private static final JsonObject WEATHER_SCHEMA = new JsonObject("""
      {"type":"object","required":["location"],
       "properties":{"location":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}}}""");

  private Vertx vertx;
  private final FakeTime time = new FakeTime();
  private final Metrics metrics = Metrics.create();
  private FakeUpstream anthropic;
  private FakeUpstream openai;
  private FakeUpstream qwen;
  private ProviderDirectory providers;
  private TargetRegistry registry;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    anthropic = upstream(Reply.fixture("anthropic/message_text.json"));
    openai = upstream(Reply.fixture("openai-chat/completion_text.json"));
    qwen = upstream(Reply.fixture("openai-chat/completion_text.json"));
    Map<String, ProviderClient> clients = new LinkedHashMap<>();
    clients.put("anthropic", client("anthropic", ProviderKind.ANTHROPIC, anthropic));
    clients.put("openai", client("openai", ProviderKind.OPENAI, openai));
    clients.put("local-qwen", client("local-qwen", ProviderKind.OPENAI_COMPATIBLE, qwen));
    providers = new ProviderDirectory(clients, vertx, time);
  }

  private FakeUpstream upstream(Reply reply) {
    return FakeUpstream.start(vertx).await().otherwise(reply);
  }

  /** Whether the upstream saw a client abandon an unfinished reply within five seconds. */
  private static boolean reset(FakeUpstream upstream) {
    try {
      upstream.resets().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private ProviderClient client(String name, ProviderKind kind, FakeUpstream upstream) {
    return ProviderClients.create(vertx, ProviderConfig.of(name, kind, upstream.baseUrl(), "test-key"), time);
  }

  @AfterEach
  void stop() {
    for (String name : providers.names()) {
      providers.client(new Target(name, name, "m", null)).close();
    }
    anthropic.close();
    openai.close();
    qwen.close();
  }

  private FailoverExecutor executor(String routes) {
    RouteTable table = YamlRouteTable.parse(Map.of("it.yaml", TARGETS + routes), providers.names());
    registry = new TargetRegistry(time, table::breakerSettings, providers.prices(), metrics);
    return new FailoverExecutor(vertx, () -> table, registry, providers, metrics, Ticker.systemTicker());
  }

  private static RouteRequest request() {
    return RouteRequest.of(SubTask.TURN, ModelRequest.builder("claude-sonnet-4-6").message(Message.user("Hello"))
        .maxTokens(200).build());
  }

  private static RouteRequest toolRequest() {
    return RouteRequest.of(SubTask.TURN, ModelRequest.builder("claude-sonnet-4-6")
        .message(Message.user("Weather in Paris?")).tool(new ToolDefinition("get_weather", "Weather", WEATHER_SCHEMA))
        .maxTokens(200).build());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static AllTargetsFailedException awaitFailure(Future<?> future) throws Exception {
    try {
      future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return assertInstanceOf(AllTargetsFailedException.class, e.getCause());
    }
    return fail("expected every target to fail");
  }

  private static List<String> attempts(Routing routing) {
    return routing.attempts().stream().map(a -> a.target().name() + ":" + a.result()
        + (a.failureClass() == null ? "" : ":" + a.failureClass())).toList();
  }

  private String state(String id) {
    return registry.toJson().getJsonArray("targets").stream().map(JsonObject.class::cast)
        .filter(t -> t.getString("target").equals(id)).findFirst().orElseThrow().getString("state");
  }

  @Test
  void shouldFailOverAn529ToTheNextTarget() throws Exception {
    FailoverExecutor executor = executor("  - { name: r, try: [claude, gpt] }\n");
    anthropic.otherwise(Reply.fixture("anthropic/error_529_overloaded.json"));
    Outcome<ModelResponse> outcome = await(executor.execute(request()));
    assertEquals("Hello! How can I help you today?", outcome.value().text());
    assertEquals("gpt", outcome.routing().chosen().name());
    assertEquals(List.of("claude:FAILED:OVERLOADED", "gpt:SUCCEEDED"), attempts(outcome.routing()));
    assertEquals(529, outcome.routing().attempts().get(0).status());
    assertTrue(openai.lastRequest().body().toString().contains("\"model\":\"gpt-5.2\""), "the request was re-encoded for the target");
    Completion completion = await(outcome.completion());
    assertTrue(completion.cost().known(), "priced from the gpt-5.2 entry although the reply names a dated id");
    assertTrue(completion.usage().outputTokens() > 0);
    String exposition = metrics.scrapeText();
    assertTrue(exposition.contains("junction_failovers_total{from_target=\"anthropic/claude-sonnet-4-6\","
        + "reason=\"overloaded\",route=\"r\"} 1.0"), exposition);
    assertTrue(exposition.contains("junction_cost_usd_total{target=\"openai/gpt-5.2\",tenant=\"none\"}"), exposition);
  }

  @Test
  void shouldSendNothingToARateLimitedTargetUntilItsRetryAfterPasses() throws Exception {
    FailoverExecutor executor = executor("  - { name: r, try: [claude, gpt] }\n");
    anthropic.otherwise(Reply.fixture("anthropic/error_429_rate_limit.json").header("retry-after", "17"));
    Outcome<ModelResponse> first = await(executor.execute(request()));
    assertEquals(List.of("claude:FAILED:RATE_LIMITED", "gpt:SUCCEEDED"), attempts(first.routing()));
    anthropic.otherwise(Reply.fixture("anthropic/message_text.json"));
    for (int i = 0; i < 5; i++) {
      time.advance(Duration.ofSeconds(3));
      Outcome<ModelResponse> during = await(executor.execute(request()));
      assertEquals(List.of("gpt:SUCCEEDED"), attempts(during.routing()), "no attempt at the cooling target");
      assertEquals("claude", during.routing().skipped().get(0).name());
    }
    assertEquals(1, anthropic.requests().size());
    time.advance(Duration.ofSeconds(2)); // exactly 17 s after the 429
    Outcome<ModelResponse> after = await(executor.execute(request()));
    assertEquals("claude", after.routing().chosen().name());
    assertEquals(2, anthropic.requests().size());
  }

  @Test
  void shouldTimeOutAHangingStreamAtFirstTokenAndFailOver() throws Exception {
    FailoverExecutor executor = executor("  - { name: r, try: [claude, gpt], timeouts: { first_token: 300ms } }\n");
    anthropic.otherwise(Reply.hangs());
    openai.otherwise(Reply.fixture("openai-chat/stream_text.sse"));
    Outcome<EventStream> outcome = await(executor.executeStream(request()));
    assertEquals(List.of("claude:FAILED:TIMEOUT", "gpt:SUCCEEDED"), attempts(outcome.routing()));
    assertTrue(outcome.routing().attempts().get(0).latency().toMillis() >= 290);
    assertFalse(await(outcome.value().accumulate()).text().isEmpty());
    assertTrue(reset(anthropic), "the hanging request was reset");
  }

  @Test
  void shouldTimeOutAHangingReplyAtTheAttemptLimitAndFailOver() throws Exception {
    FailoverExecutor executor = executor("  - { name: r, try: [claude, gpt], timeouts: { attempt: 300ms } }\n");
    anthropic.otherwise(Reply.hangs());
    Outcome<ModelResponse> outcome = await(executor.execute(request()));
    assertEquals(List.of("claude:FAILED:TIMEOUT", "gpt:SUCCEEDED"), attempts(outcome.routing()));
    assertTrue(outcome.routing().attempts().get(0).latency().toMillis() >= 290);
    assertTrue(reset(anthropic), "the hanging request was reset");
  }

  @Test
  void shouldFailOverAStreamCutBeforeItsFirstEvent() throws Exception {
    FailoverExecutor executor = executor("  - { name: r, try: [claude, gpt] }\n");
    anthropic.otherwise(Reply.fixture("anthropic/stream_text.sse").cutAfter(30));
    openai.otherwise(Reply.fixture("openai-chat/stream_text.sse"));
    Outcome<EventStream> outcome = await(executor.executeStream(request()));
    assertEquals("gpt", outcome.routing().chosen().name());
    assertEquals(2, outcome.routing().attempts().size());
    Attempt cut = outcome.routing().attempts().get(0);
    assertEquals(AttemptResult.FAILED, cut.result());
    assertTrue(cut.failureClass() == FailureClass.NETWORK || cut.failureClass() == FailureClass.MALFORMED,
        cut.toString());
    ModelResponse response = await(outcome.value().accumulate());
    assertFalse(response.text().isEmpty());
    Completion completion = await(outcome.completion());
    assertNull(completion.failure());
    assertTrue(completion.usage().outputTokens() > 0);
    assertEquals(0, registry.snapshot().state("openai/gpt-5.2").stats().inFlight(), "the stream's end was recorded");
  }

  @Test
  void shouldOpenTheBreakerOnRepeatedMalformedToolCallsAndRouteAroundIt() throws Exception {
    FailoverExecutor executor = executor("  - { name: r, try: [claude, gpt] }\n");
    JsonObject bad = Fixtures.json("anthropic/message_tool_use.json");
    bad.getJsonArray("content").getJsonObject(1).put("input", new JsonObject().put("location", 42));
    anthropic.otherwise(Reply.status(200).body(bad.encode()));
    for (int i = 0; i < 5; i++) {
      Outcome<ModelResponse> outcome = await(executor.execute(toolRequest()));
      assertEquals(List.of("claude:FAILED:MALFORMED", "gpt:SUCCEEDED"), attempts(outcome.routing()));
      assertTrue(outcome.routing().attempts().get(0).detail().contains("$.location: expected string"),
          outcome.routing().attempts().get(0).detail());
    }
    assertEquals("open", state("anthropic/claude-sonnet-4-6"));
    Outcome<ModelResponse> later = await(executor.execute(toolRequest()));
    assertEquals(List.of("gpt:SUCCEEDED"), attempts(later.routing()));
    assertEquals(List.of("claude"), later.routing().skipped().stream().map(Target::name).toList());
    assertEquals(5, anthropic.requests().size());
  }

  @Test
  void shouldFailWithEveryAttemptWhenAllTargetsAreDown() throws Exception {
    FailoverExecutor executor = executor("  - { name: r, try: [claude, gpt, qwen] }\n");
    anthropic.otherwise(Reply.fixture("anthropic/error_529_overloaded.json"));
    openai.otherwise(Reply.fixture("openai-chat/error_500_server_error.json"));
    qwen.otherwise(Reply.fixture("openai-chat/error_503_overloaded.json"));
    AllTargetsFailedException e = awaitFailure(executor.execute(request()));
    assertEquals(List.of("claude:FAILED:OVERLOADED", "gpt:FAILED:SERVER", "qwen:FAILED:OVERLOADED"),
        attempts(e.routing()));
    assertEquals(FailureClass.OVERLOADED, e.failureClass());
    assertEquals("model_overloaded_error", e.maErrorType());
    assertTrue(e.retryLater());
    assertNull(e.routing().chosen());
    assertEquals(3, e.routing().toJson().getJsonArray("attempts").size());
    assertTrue(metrics.scrapeText().contains("junction_routed_requests_total{outcome=\"overloaded\",route=\"r\"} 1.0"));
  }

  @Test
  void shouldStopAtACallerFaultWithoutFailingOver() throws Exception {
    FailoverExecutor executor = executor("  - { name: r, try: [claude, gpt] }\n");
    anthropic.otherwise(Reply.fixture("anthropic/error_400_invalid_request.json"));
    AllTargetsFailedException e = awaitFailure(executor.execute(request()));
    assertEquals(List.of("claude:FAILED:CALLER_FAULT"), attempts(e.routing()));
    assertFalse(e.retryLater());
    assertEquals(0, openai.requests().size());
    assertEquals("closed", state("anthropic/claude-sonnet-4-6"));
  }

  @Test
  void shouldRecoverThroughHalfOpenProbesAfterTheOpenPeriod() throws Exception {
    FailoverExecutor executor = executor("  - { name: r, try: [claude, gpt] }\n");
    anthropic.otherwise(Reply.fixture("anthropic/error_500_api_error.json"));
    for (int i = 0; i < 5; i++) {
      await(executor.execute(request()));
    }
    assertEquals("open", state("anthropic/claude-sonnet-4-6"));
    anthropic.otherwise(Reply.fixture("anthropic/message_text.json"));
    assertEquals("gpt", await(executor.execute(request())).routing().chosen().name());
    time.advance(Duration.ofSeconds(31));
    for (int i = 0; i < 3; i++) {
      Outcome<ModelResponse> probe = await(executor.execute(request()));
      assertEquals("claude", probe.routing().chosen().name(), "probe " + i);
      assertEquals(i < 2 ? "half_open" : "closed", state("anthropic/claude-sonnet-4-6"));
    }
    assertEquals(8, anthropic.requests().size());
  }

  @Test
  void shouldHedgeASlowFirstTargetAndCancelTheLoser() throws Exception {
    FailoverExecutor executor = executor(
        "  - { name: r, try: [claude, gpt], hedge: { min_delay: 150ms, default_delay: 150ms } }\n");
    anthropic.otherwise(Reply.hangs());
    Outcome<ModelResponse> outcome = await(executor.execute(request()));
    assertEquals("gpt", outcome.routing().chosen().name());
    assertEquals(List.of("gpt:SUCCEEDED", "claude:CANCELLED"), attempts(outcome.routing()));
    assertTrue(outcome.routing().attempts().get(0).hedge());
    assertTrue(outcome.routing().attempts().get(0).latency().toMillis() < 4000);
    assertTrue(reset(anthropic), "the loser's upstream request was reset");
    JsonObject claude = registry.toJson().getJsonArray("targets").getJsonObject(0);
    assertEquals(0, claude.getJsonObject("window").getInteger("calls"), "a hedge loser is not held against it");
    assertTrue(metrics.scrapeText().contains("junction_hedges_total{route=\"r\"} 1.0"));
  }

  @Test
  void shouldTryTheClosestTargetAsLastResortWhenEveryBreakerIsOpen() throws Exception {
    FailoverExecutor executor = executor("  - { name: r, try: [claude, gpt] }\n");
    registry.forceOpen("openai/gpt-5.2");
    anthropic.otherwise(Reply.fixture("anthropic/error_429_rate_limit.json").header("retry-after", "60"));
    awaitFailure(executor.execute(request()));
    anthropic.otherwise(Reply.fixture("anthropic/message_text.json"));
    Outcome<ModelResponse> outcome = await(executor.execute(request()));
    assertTrue(outcome.routing().lastResort());
    assertEquals("claude", outcome.routing().chosen().name());

    FailoverExecutor failFast = executor("  - { name: r, try: [claude, gpt], last_resort: fail_fast }\n");
    registry.forceOpen("openai/gpt-5.2");
    registry.forceOpen("anthropic/claude-sonnet-4-6");
    int before = anthropic.requests().size();
    AllTargetsFailedException e = awaitFailure(failFast.execute(request()));
    assertTrue(e.attempts().isEmpty());
    assertEquals(2, e.routing().skipped().size());
    assertEquals(before, anthropic.requests().size());
  }

  @Test
  void shouldFailWithCancelledWhenTheCallerLeaves() throws Exception {
    FailoverExecutor executor = executor("  - { name: r, try: [claude, gpt] }\n");
    anthropic.otherwise(Reply.hangs());
    dev.junction.provider.Cancellation cancellation = dev.junction.provider.Cancellation.create();
    RouteRequest base = request();
    Future<Outcome<ModelResponse>> pending = executor.execute(new RouteRequest(base.task(), base.attributes(),
        base.request(), base.options().withCancellation(cancellation)));
    vertx.setTimer(200, id -> cancellation.cancel());
    AllTargetsFailedException e = awaitFailure(pending);
    assertEquals(FailureClass.CANCELLED, e.failureClass());
    assertEquals(0, openai.requests().size(), "no failover for a caller that left");
    assertTrue(reset(anthropic));
    assertEquals("closed", state("anthropic/claude-sonnet-4-6"));
  }

  @Test
  void shouldJudgeACommittedStreamAtItsEndAndCountAMalformedToolCall() throws Exception {
    FailoverExecutor executor = executor("  - { name: r, try: [claude, gpt] }\n");
    anthropic.otherwise(Reply.fixture("anthropic/stream_tool_use.sse"));
    Outcome<EventStream> good = await(executor.executeStream(toolRequest()));
    assertTrue(await(good.value().accumulate()).hasToolUse());
    assertNull(await(good.completion()).failure(), "get_weather with a string location satisfies the schema");

    anthropic.otherwise(Reply.fixture("anthropic/stream_tool_use.sse").body(Fixtures.bytes("anthropic/stream_tool_use.sse").toString()
        .replace("\"name\":\"get_weather\"", "\"name\":\"get_time\"")));
    Outcome<EventStream> bad = await(executor.executeStream(toolRequest()));
    assertEquals("claude", bad.routing().chosen().name(), "committed at the first event: no failover");
    await(bad.value().accumulate());
    Completion completion = await(bad.completion());
    assertEquals(FailureClass.MALFORMED, completion.failure());
    JsonObject claude = registry.toJson().getJsonArray("targets").getJsonObject(0);
    assertEquals(1, claude.getJsonObject("window").getInteger("failed"), "counted against the breaker");
    assertEquals("malformed", claude.getString("last_failure"));
  }

  @Test
  void shouldReportACallerFaultWhenNoProviderServesTheModel() throws Exception {
    FailoverExecutor executor = executor("  - { name: r, when: { model: \"claude-*\" }, try: [claude] }\n");
    AllTargetsFailedException e = awaitFailure(executor.execute(RouteRequest.of(SubTask.TURN,
        ModelRequest.builder("mistral-large").message(Message.user("hi")).maxTokens(10).build())));
    assertEquals(FailureClass.CALLER_FAULT, e.failureClass());
    assertEquals("implicit-requested", e.routing().route());
    assertTrue(e.getMessage().contains("no configured target for model 'mistral-large'"), e.getMessage());
    assertFalse(e.retryLater());
  }

  @Test
  void shouldEndEveryAttemptWhenTheRouteTotalRunsOut() throws Exception {
    FailoverExecutor executor = executor(
        "  - { name: r, try: [claude, gpt, qwen], timeouts: { attempt: 300ms, total: 450ms } }\n");
    anthropic.otherwise(Reply.hangs());
    openai.otherwise(Reply.hangs());
    long start = System.nanoTime();
    AllTargetsFailedException e = awaitFailure(executor.execute(request()));
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(List.of("claude:FAILED:TIMEOUT", "gpt:FAILED:TIMEOUT"), attempts(e.routing()),
        "the second attempt is cut by the total, the third never starts");
    assertTrue(tookMillis >= 440 && tookMillis < 2000, tookMillis + " ms");
    assertEquals(0, qwen.requests().size());
    assertEquals(FailureClass.TIMEOUT, e.failureClass());
    assertTrue(reset(openai), "the attempt cut by the total was reset");
  }

  @Test
  void shouldHedgeStreamsAndReplaceAHedgeThatFails() throws Exception {
    FailoverExecutor executor = executor("  - { name: r, try: [claude, gpt, qwen], hedge: { min_delay: 150ms } }\n");
    anthropic.otherwise(Reply.hangs());
    openai.otherwise(Reply.fixture("openai-chat/error_503_overloaded.json"));
    qwen.otherwise(Reply.fixture("openai-chat/stream_text.sse"));
    Outcome<EventStream> outcome = await(executor.executeStream(request()));
    assertEquals(List.of("gpt:FAILED:OVERLOADED", "qwen:SUCCEEDED", "claude:CANCELLED"), attempts(outcome.routing()),
        "claude stalls; the hedge to gpt fails at once and qwen takes its place, committing first");
    assertTrue(outcome.routing().attempts().get(1).hedge());
    assertFalse(await(outcome.value().accumulate()).text().isEmpty());
    assertTrue(reset(anthropic), "the stalled stream was reset");
  }

  @Test
  void shouldForgetTheCallerOnceACallEndsAndResetACommittedStreamWhenTheCallerLeaves() throws Exception {
    FailoverExecutor executor = executor("  - { name: r, try: [claude] }\n");
    dev.junction.provider.Cancellation session = dev.junction.provider.Cancellation.create();
    RouteRequest base = request();
    RouteRequest call = new RouteRequest(base.task(), base.attributes(), base.request(),
        base.options().withCancellation(session));
    for (int i = 0; i < 3; i++) {
      await(executor.execute(call));
    }
    assertEquals(0, session.listenerCount(), "finished calls leave no listener on a session-long cancellation");

    // two events, then silence: committed, and still running when the caller leaves
    anthropic.otherwise(Reply.fixture("anthropic/stream_text.sse").stallAfter(720));
    Outcome<EventStream> outcome = await(executor.executeStream(call));
    Future<ModelResponse> reading = outcome.value().accumulate();
    assertEquals(1, session.listenerCount(), "a committed stream listens until it ends");
    session.cancel();
    assertTrue(reset(anthropic), "the caller leaving reset the committed stream's upstream");
    Completion completion = await(outcome.completion());
    assertEquals(FailureClass.CANCELLED, completion.failure());
    assertTrue(reading.toCompletionStage().toCompletableFuture().handle((r, t) -> t != null).get(5, TimeUnit.SECONDS));
    assertEquals("closed", state("anthropic/claude-sonnet-4-6"));
  }
}
