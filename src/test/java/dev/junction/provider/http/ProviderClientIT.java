package dev.junction.provider.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.provider.CallOptions;
import dev.junction.provider.Cancellation;
import dev.junction.provider.ContentBlock;
import dev.junction.provider.Decoding;
import dev.junction.provider.Dialect;
import dev.junction.provider.EventStream;
import dev.junction.provider.Expect;
import dev.junction.provider.FailureClass;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.ProviderClient;
import dev.junction.provider.ProviderClients;
import dev.junction.provider.ProviderConfig;
import dev.junction.provider.ProviderException;
import dev.junction.provider.ProviderKind;
import dev.junction.provider.StopReason;
import dev.junction.provider.StreamEvent;
import dev.junction.provider.Timeouts;
import dev.junction.provider.Usage;
import dev.junction.testing.FakeUpstream;
import dev.junction.testing.FakeUpstream.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Adapters over real HTTP against a {@link FakeUpstream} on port 0: success paths per protocol and
 * one test per failure class. Stall timeouts are 200 ms; nothing sleeps.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 15, timeUnit = TimeUnit.SECONDS)
class ProviderClientIT {
  /** For tests that should not time out: generous, because the build machine may be busy. */
  private static final Timeouts SAFE = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5),
      Duration.ofSeconds(5), Duration.ofSeconds(20));
  /** For stall tests: the first-byte and idle clocks fire after 200 ms; the total stays far away. */
  private static final Timeouts STALL = new Timeouts(Duration.ofSeconds(5), Duration.ofMillis(200),
      Duration.ofMillis(200), Duration.ofSeconds(20));
  private static final ModelRequest TURN = Decoding.turn();

  private FakeUpstream upstream;
  private final List<ProviderClient> clients = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    FakeUpstream.start(vertx).onComplete(ctx.succeeding(u -> {
      upstream = u;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    List<Future<Void>> closing = new ArrayList<>();
    clients.forEach(c -> closing.add(c.close()));
    closing.add(upstream.close());
    Future.join(closing).onComplete(ar -> ctx.completeNow());
  }

  private ProviderClient client(Vertx vertx, ProviderKind kind) {
    return client(vertx, ProviderConfig.of("fake", kind, upstream.baseUrl(), "sk-test").withTimeouts(SAFE));
  }

  private ProviderClient stalling(Vertx vertx, ProviderKind kind) {
    return client(vertx, ProviderConfig.of("fake", kind, upstream.baseUrl(), "sk-test").withTimeouts(STALL));
  }

  private ProviderClient client(Vertx vertx, ProviderConfig config) {
    ProviderClient client = ProviderClients.create(vertx, config, Decoding.CLOCK);
    clients.add(client);
    return client;
  }

  /** Completes the test when {@code future} fails with a ProviderException that passes {@code check}. */
  private static void expectFailure(Future<?> future, VertxTestContext ctx, Consumer<ProviderException> check) {
    future.onComplete(ctx.failing(t -> ctx.verify(() -> {
      check.accept(assertInstanceOf(ProviderException.class, t));
      ctx.completeNow();
    })));
  }

  /** Reads a stream to its end and hands over the events and the terminal failure (or null). */
  private static Future<Outcome> drain(EventStream stream) {
    io.vertx.core.Promise<Outcome> promise = io.vertx.core.Promise.promise();
    List<StreamEvent> events = new ArrayList<>();
    stream.exceptionHandler(t -> promise.tryComplete(new Outcome(events, (ProviderException) t)));
    stream.endHandler(v -> promise.tryComplete(new Outcome(events, null)));
    stream.handler(events::add);
    return promise.future();
  }

  record Outcome(List<StreamEvent> events, ProviderException failure) {
  }

  // ---- success paths ----

  @Test
  void anthropicStreamOverHttpMatchesTheFixtureAndSendsTheRightHeaders(Vertx vertx, VertxTestContext ctx) {
    upstream.enqueue(Reply.fixture("anthropic/stream_tool_use.sse"));
    CallOptions options = CallOptions.DEFAULT.withHeaders(Map.of("anthropic-beta", "fine-grained-tool-streaming-2025-05-14"));
    client(vertx, ProviderKind.ANTHROPIC).stream(TURN, options).compose(EventStream::accumulate)
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals("msg_01Tg5vH8kJ2mN4pQ7rS9tU1w", r.id());
          Expect.toolUse(r.content().get(2), "toolu_01Bq7cF2Z8kLmN4pR6sT9vWx", "get_weather", Expect.weather("Tokyo, Japan"));
          assertEquals(new Usage(512, 118, 1024, 0), r.usage());
          FakeUpstream.Received sent = upstream.lastRequest();
          assertEquals("/v1/messages", sent.path());
          assertEquals("sk-test", sent.header("x-api-key"));
          assertEquals("2023-06-01", sent.header("anthropic-version"));
          assertEquals("fine-grained-tool-streaming-2025-05-14", sent.header("anthropic-beta"));
          assertTrue(sent.json().getBoolean("stream"));
          ctx.completeNow();
        })));
  }

  @Test
  void chatResponsesAndVllmRepliesDecodeOverHttp(Vertx vertx, VertxTestContext ctx) {
    upstream.enqueue(Reply.fixture("openai-chat/completion_tool_calls.json"))
        .enqueue(Reply.fixture("openai-responses/stream_function_call.sse"))
        .enqueue(Reply.fixture("qwen-vllm/chat_tool_call_unparsed.json"));
    ProviderClient chat = client(vertx, ProviderKind.OPENAI);
    ProviderClient responses = client(vertx, ProviderKind.OPENAI_RESPONSES);
    ProviderClient qwen = client(vertx, ProviderConfig.of("q", ProviderKind.OPENAI_COMPATIBLE, upstream.baseUrl() + "/v1", null)
        .withTimeouts(SAFE).withDialect(Dialect.VLLM));
    chat.send(TURN.withModel("gpt-5.2"), CallOptions.DEFAULT)
        .compose(c -> responses.stream(TURN.withModel("gpt-5.2"), CallOptions.DEFAULT).compose(EventStream::accumulate)
            .compose(r -> qwen.send(TURN.withModel("Qwen/Qwen3-8B"), CallOptions.DEFAULT)
                .map(q -> List.of(c, r, q))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertEquals(StopReason.TOOL_USE, all.get(0).stopReason());
          assertEquals(2, all.get(0).content().size());
          Expect.toolUse(all.get(1).content().get(0), "call_Rk4wO9yS3nU6xZ8aB2cD5eF7", "get_weather", Expect.weather("Paris, France"));
          assertEquals(StopReason.TOOL_USE, all.get(2).stopReason());
          List<FakeUpstream.Received> sent = upstream.requests();
          assertEquals("/v1/chat/completions", sent.get(0).path());
          assertEquals("Bearer sk-test", sent.get(0).header("authorization"));
          assertFalse(sent.get(0).json().containsKey("stream"));
          assertEquals("/v1/responses", sent.get(1).path());
          assertFalse(sent.get(1).json().getBoolean("store"));
          assertEquals("/v1/chat/completions", sent.get(2).path(), "a /v1 base URL is not doubled");
          assertNull(sent.get(2).header("authorization"), "no key, no auth header");
          assertEquals(1024, sent.get(2).json().getInteger("max_tokens"));
          ctx.completeNow();
        })));
  }

  @Test
  void aStreamReadWithBackpressureDeliversEveryEventInOrder(Vertx vertx, VertxTestContext ctx) {
    upstream.enqueue(Reply.fixture("openai-chat/stream_tool_calls.sse").drip(64, 1));
    client(vertx, ProviderKind.OPENAI).stream(TURN.withModel("gpt-5.2"), CallOptions.DEFAULT)
        .onComplete(ctx.succeeding(stream -> {
          List<StreamEvent> events = new ArrayList<>();
          stream.pause();
          stream.endHandler(v -> ctx.verify(() -> {
            ModelResponse r = Decoding.accumulate(events);
            assertEquals(2, r.content().size());
            assertEquals(StopReason.TOOL_USE, r.stopReason());
            ctx.completeNow();
          }));
          stream.exceptionHandler(ctx::failNow);
          stream.handler(event -> {
            events.add(event);
            // one event at a time, each asked for on a later tick: the upstream is paused meanwhile
            vertx.runOnContext(v -> stream.fetch(1));
          });
          stream.fetch(1);
        }));
  }

  @Test
  void readinessFollowsHealthThenModels(Vertx vertx, VertxTestContext ctx) {
    upstream.enqueue(Reply.status(200)).enqueue(Reply.fixture("qwen-vllm/models.json"))
        .enqueue(Reply.fixture("qwen-llamacpp/health_loading_503.json"));
    ProviderConfig config = ProviderConfig.of("q", ProviderKind.OPENAI_COMPATIBLE, upstream.baseUrl(), null).withTimeouts(SAFE);
    ProviderClient vllm = client(vertx, config.withDialect(Dialect.VLLM));
    ProviderClient llamacpp = client(vertx, config.withDialect(Dialect.LLAMACPP));
    vllm.probe().compose(ready -> llamacpp.probe().map(loading -> List.of(ready, loading)))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          assertTrue(both.get(0).ready());
          assertEquals(List.of("Qwen/Qwen3-8B"), both.get(0).models());
          assertFalse(both.get(1).ready());
          assertTrue(both.get(1).detail().contains("Loading model"), both.get(1).detail());
          assertEquals(List.of("/health", "/v1/models", "/health"), upstream.requests().stream().map(FakeUpstream.Received::path).toList());
          ctx.completeNow();
        })));
  }

  // ---- one test per failure class ----

  @Test
  void rateLimitedWithRetryAfter(Vertx vertx, VertxTestContext ctx) {
    upstream.enqueue(Reply.fixture("anthropic/error_429_rate_limit.json"));
    expectFailure(client(vertx, ProviderKind.ANTHROPIC).send(TURN, CallOptions.DEFAULT), ctx, e -> {
      assertEquals(FailureClass.RATE_LIMITED, e.failureClass());
      assertEquals(429, e.status());
      assertEquals(Duration.ofSeconds(17), e.retryAfter());
      assertEquals("req_011CZk41Qw2Er4Ty6Ui8Op0A", e.requestId());
    });
  }

  @Test
  void retryAfterMsWinsOnAStreamingCall(Vertx vertx, VertxTestContext ctx) {
    upstream.enqueue(Reply.fixture("openai-chat/error_429_rate_limit.json").header("retry-after-ms", "1250"));
    expectFailure(client(vertx, ProviderKind.OPENAI).stream(TURN, CallOptions.DEFAULT), ctx, e -> {
      assertEquals(FailureClass.RATE_LIMITED, e.failureClass());
      assertEquals(Duration.ofMillis(1250), e.retryAfter());
    });
  }

  @Test
  void anErrorReplyReadToItsEndKeepsTheConnectionForTheNextCall(Vertx vertx, VertxTestContext ctx) {
    upstream.enqueue(Reply.fixture("anthropic/error_429_rate_limit.json")).enqueue(Reply.fixture("anthropic/message_text.json"));
    ProviderClient client = client(vertx, ProviderKind.ANTHROPIC);
    client.send(TURN, CallOptions.DEFAULT).recover(rateLimited -> client.send(TURN, CallOptions.DEFAULT))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals("msg_01XFDUDYJgAACzvnptvVoYEL", r.id());
          List<FakeUpstream.Received> sent = upstream.requests();
          assertEquals(2, sent.size());
          assertEquals(sent.get(0).clientPort(), sent.get(1).clientPort(), "one keep-alive connection");
          ctx.completeNow();
        })));
  }

  @Test
  void overloaded529(Vertx vertx, VertxTestContext ctx) {
    upstream.enqueue(Reply.fixture("anthropic/error_529_overloaded.json"));
    expectFailure(client(vertx, ProviderKind.ANTHROPIC).stream(TURN, CallOptions.DEFAULT), ctx, e -> {
      assertEquals(FailureClass.OVERLOADED, e.failureClass());
      assertEquals(529, e.status());
    });
  }

  @Test
  void serverError500(Vertx vertx, VertxTestContext ctx) {
    upstream.enqueue(Reply.fixture("openai-chat/error_500_server_error.json"));
    expectFailure(client(vertx, ProviderKind.OPENAI_RESPONSES).send(TURN, CallOptions.DEFAULT), ctx, e -> {
      assertEquals(FailureClass.SERVER, e.failureClass());
      assertEquals(500, e.status());
    });
  }

  @Test
  void quota429IsNotRetryable(Vertx vertx, VertxTestContext ctx) {
    upstream.enqueue(Reply.fixture("openai-chat/error_429_insufficient_quota.json"));
    expectFailure(client(vertx, ProviderKind.OPENAI).send(TURN, CallOptions.DEFAULT), ctx, e -> {
      assertEquals(FailureClass.QUOTA, e.failureClass());
      assertFalse(e.retryable());
    });
  }

  @Test
  void connectionRefused(Vertx vertx, VertxTestContext ctx) {
    // a port that was just free: start a server, note its port, close it
    FakeUpstream.start(vertx).compose(gone -> gone.close().map(v -> gone.port())).onComplete(ctx.succeeding(port -> {
      ProviderClient client = client(vertx, ProviderConfig.of("gone", ProviderKind.ANTHROPIC, "http://127.0.0.1:" + port, "k")
          .withTimeouts(SAFE));
      expectFailure(client.send(TURN, CallOptions.DEFAULT), ctx, e -> assertEquals(FailureClass.NETWORK, e.failureClass()));
    }));
  }

  @Test
  void resetMidStreamEndsTheStreamWithANetworkError(Vertx vertx, VertxTestContext ctx) {
    upstream.enqueue(Reply.fixture("anthropic/stream_tool_use.sse").cutAfter(1500));
    client(vertx, ProviderKind.ANTHROPIC).stream(TURN, CallOptions.DEFAULT).compose(ProviderClientIT::drain)
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          assertEquals(FailureClass.NETWORK, outcome.failure().failureClass());
          StreamEvent last = outcome.events().get(outcome.events().size() - 1);
          assertEquals(outcome.failure(), assertInstanceOf(StreamEvent.Error.class, last).failure());
          assertInstanceOf(StreamEvent.MessageStart.class, outcome.events().get(0));
          assertFalse(outcome.events().stream().anyMatch(e -> e instanceof StreamEvent.MessageStop));
          ctx.completeNow();
        })));
  }

  @Test
  void noFirstByteInTimeIsATimeoutAndTheUpstreamIsReset(Vertx vertx, VertxTestContext ctx) {
    upstream.enqueue(Reply.hangs());
    long started = System.nanoTime();
    stalling(vertx, ProviderKind.OPENAI).stream(TURN, CallOptions.DEFAULT).onComplete(ctx.failing(t -> ctx.verify(() -> {
      ProviderException e = assertInstanceOf(ProviderException.class, t);
      assertEquals(FailureClass.TIMEOUT, e.failureClass());
      assertTrue(e.getMessage().contains("first byte"), e.getMessage());
      assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "the 200 ms limit fired, not the total");
      upstream.resets().onComplete(ctx.succeeding(reset -> ctx.completeNow()));
    })));
  }

  @Test
  void aSlowButArrivingFirstByteIsNotATimeout(Vertx vertx, VertxTestContext ctx) {
    upstream.enqueue(Reply.fixture("anthropic/stream_text_minimal.sse").after(50));
    client(vertx, ProviderKind.ANTHROPIC).stream(TURN, CallOptions.DEFAULT).compose(EventStream::accumulate)
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals("Bonjour !", r.text());
          ctx.completeNow();
        })));
  }

  @Test
  void aStreamThatStallsMidWayTimesOutOnTheIdleClock(Vertx vertx, VertxTestContext ctx) {
    upstream.enqueue(Reply.fixture("anthropic/stream_text.sse").stallAfter(900));
    stalling(vertx, ProviderKind.ANTHROPIC).stream(TURN, CallOptions.DEFAULT).compose(ProviderClientIT::drain)
        .compose(outcome -> upstream.resets().map(reset -> outcome))
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          assertEquals(FailureClass.TIMEOUT, outcome.failure().failureClass());
          assertTrue(outcome.failure().getMessage().contains("idle"), outcome.failure().getMessage());
          assertInstanceOf(StreamEvent.Error.class, outcome.events().get(outcome.events().size() - 1));
          ctx.completeNow();
        })));
  }

  @Test
  void aMalformedBodyIsMalformed(Vertx vertx, VertxTestContext ctx) {
    upstream.enqueue(Reply.status(200).header("content-type", "text/html").body("<html>upstream proxy says hi</html>"));
    expectFailure(client(vertx, ProviderKind.ANTHROPIC).send(TURN, CallOptions.DEFAULT), ctx, e -> {
      assertEquals(FailureClass.MALFORMED, e.failureClass());
      assertTrue(e.getMessage().contains("upstream proxy says hi"));
    });
  }

  @Test
  void aStreamWhoseFirstEventIsAnErrorFailsBeforeCommit(Vertx vertx, VertxTestContext ctx) {
    upstream.enqueue(Reply.status(200).header("content-type", "text/event-stream")
        .body("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"));
    expectFailure(client(vertx, ProviderKind.ANTHROPIC).stream(TURN, CallOptions.DEFAULT), ctx,
        e -> assertEquals(FailureClass.OVERLOADED, e.failureClass()));
  }

  @Test
  void aMidStreamErrorEventArrivesAsAnErrorEvent(Vertx vertx, VertxTestContext ctx) {
    upstream.enqueue(Reply.fixture("anthropic/stream_error_midstream.sse"));
    client(vertx, ProviderKind.ANTHROPIC).stream(TURN, CallOptions.DEFAULT).compose(ProviderClientIT::drain)
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          assertEquals(FailureClass.OVERLOADED, outcome.failure().failureClass());
          assertEquals(new StreamEvent.TextDelta(0, " answer that gets"), outcome.events().get(outcome.events().size() - 2));
          ctx.completeNow();
        })));
  }

  // ---- cancellation ----

  @Test
  void cancellingAWaitingCallResetsTheUpstreamRequest(Vertx vertx, VertxTestContext ctx) {
    upstream.enqueue(Reply.hangs());
    Cancellation cancellation = Cancellation.create();
    ProviderClient client = client(vertx, ProviderConfig.of("slow", ProviderKind.OPENAI, upstream.baseUrl(), "k"));
    Future<ModelResponse> call = client.send(TURN, CallOptions.DEFAULT.withCancellation(cancellation));
    // cancel once the upstream holds the request, as when a downstream client disconnects
    vertx.setPeriodic(5, id -> {
      if (!upstream.requests().isEmpty()) {
        vertx.cancelTimer(id);
        cancellation.cancel();
      }
    });
    call.onComplete(ctx.failing(t -> ctx.verify(() -> {
      assertEquals(FailureClass.CANCELLED, ((ProviderException) t).failureClass());
      upstream.resets().onComplete(ctx.succeeding(reset -> ctx.verify(() -> {
        assertEquals("/v1/chat/completions", reset.path());
        ctx.completeNow();
      })));
    })));
  }

  @Test
  void cancellingAnOpenStreamResetsTheUpstreamAndStopsEvents(Vertx vertx, VertxTestContext ctx) {
    upstream.enqueue(Reply.fixture("anthropic/stream_tool_use.sse").drip(40, 30));
    ProviderClient client = client(vertx, ProviderConfig.of("slow", ProviderKind.ANTHROPIC, upstream.baseUrl(), "k"));
    client.stream(TURN, CallOptions.DEFAULT).onComplete(ctx.succeeding(stream -> {
      List<StreamEvent> events = new ArrayList<>();
      stream.exceptionHandler(t -> ctx.verify(() -> {
        assertEquals(FailureClass.CANCELLED, ((ProviderException) t).failureClass());
        int seen = events.size();
        upstream.resets().onComplete(ctx.succeeding(reset -> ctx.verify(() -> {
          assertEquals(seen, events.size(), "no event after cancel");
          assertFalse(events.stream().anyMatch(e -> e instanceof StreamEvent.MessageStop));
          ctx.completeNow();
        })));
      }));
      stream.endHandler(v -> ctx.failNow("a cancelled stream must not end cleanly"));
      stream.handler(event -> {
        events.add(event);
        if (event instanceof StreamEvent.BlockStart) {
          stream.cancel();
        }
      });
    }));
  }

  @Test
  void aCallCancelledBeforeItStartsNeverReachesTheUpstream(Vertx vertx, VertxTestContext ctx) {
    Cancellation cancellation = Cancellation.create();
    cancellation.cancel();
    expectFailure(client(vertx, ProviderKind.ANTHROPIC).send(TURN, CallOptions.DEFAULT.withCancellation(cancellation)), ctx,
        e -> {
          assertEquals(FailureClass.CANCELLED, e.failureClass());
          assertTrue(upstream.requests().isEmpty());
        });
  }

  @Test
  void theRequestBodyIsTheEncodersOutput(Vertx vertx, VertxTestContext ctx) {
    upstream.enqueue(Reply.fixture("anthropic/message_text.json"));
    Cancellation sessionWide = Cancellation.create();
    client(vertx, ProviderKind.ANTHROPIC).send(TURN, CallOptions.DEFAULT.withCancellation(sessionWide))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(0, sessionWide.listenerCount(), "a finished call leaves no listener behind");
      JsonObject body = upstream.lastRequest().json();
      assertFalse(body.containsKey("stream"), "send() never streams");
      assertEquals(dev.junction.provider.anthropic.AnthropicCodec.encode(TURN.withStream(false)), body);
      assertEquals(List.of(new ContentBlock.Text("Hello! How can I help you today?")), r.content());
      ctx.completeNow();
    })));
  }
}
