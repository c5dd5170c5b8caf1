package dev.junction.harness;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.ObjectMappers;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.beta.agents.AgentCreateParams;
import com.anthropic.models.beta.agents.BetaManagedAgentsAgentToolset20260401Params;
import com.anthropic.models.beta.agents.BetaManagedAgentsAlwaysAskPolicy;
import com.anthropic.models.beta.agents.BetaManagedAgentsBashToolConfigParams;
import com.anthropic.models.beta.agents.BetaManagedAgentsCustomToolInputSchema;
import com.anthropic.models.beta.agents.BetaManagedAgentsCustomToolParams;
import com.anthropic.models.beta.agents.BetaManagedAgentsModel;
import com.anthropic.models.beta.environments.EnvironmentCreateParams;
import com.anthropic.models.beta.sessions.BetaManagedAgentsDeltaEvent;
import com.anthropic.models.beta.sessions.BetaManagedAgentsDeltaType;
import com.anthropic.models.beta.sessions.BetaManagedAgentsSession;
import com.anthropic.models.beta.sessions.BetaManagedAgentsStartEventPreview;
import com.anthropic.models.beta.sessions.SessionCreateParams;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsAgentCustomToolUseEvent;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsAgentEvaluatedPermission;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsAgentMessageEvent;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsAgentToolResultEvent;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsAgentToolUseEvent;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsModelOverloadedError;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsSessionErrorEvent;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsSessionEvent;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsSessionEventType;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsSessionStatusIdleEvent;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsSpanModelRequestEndEvent;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsSpanModelRequestStartEvent;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsStreamSessionEvents;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsUserCustomToolResultEvent;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsUserCustomToolResultEventParams;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsUserInterruptEventParams;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsUserMessageEventParams;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsUserToolConfirmationEventParams;
import com.anthropic.models.beta.sessions.events.EventListParams;
import com.anthropic.models.beta.sessions.events.EventSendParams;
import com.anthropic.models.beta.sessions.events.EventStreamParams;
import dev.junction.testing.FakeUpstream;
import dev.junction.testing.Gateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The agent loop driven only through the official Java SDK: agents, environments, sessions, sent events, the live
 * stream and the history are all built and parsed by the SDK with strict response validation, against a fake model
 * scripted per turn. Scenarios with built-in tools run them in the bubblewrap sandbox.
 */
class AgentLoopSdkIT {
  private static final String MODEL = "claude-sonnet-4-6";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private Vertx vertx;
  private FakeUpstream upstream;
  private Gateway gw;
  private AnthropicClient client;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = Upstream.start(vertx);
    gw = Gateway.start(Upstream.gatewayConfig(upstream), Upstream.env(), null);
    client = AnthropicOkHttpClient.builder().baseUrl(gw.baseUrl()).apiKey(Gateway.KEY).responseValidation(true).build();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    gw.close();
    upstream.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  // ---------------------------------------------------------------- built-in tools

  @Test
  void aTurnRunsBashThenAnswers() throws Exception {
    requireBubblewrap();
    upstream.enqueue(Upstream.toolUse("toolu_1", "bash", input("command", "echo hello > greet.txt && cat greet.txt && pwd")))
        .enqueue(Upstream.text("The file says hello."));
    String s = session(agent -> agent.addTool(toolset()));
    List<BetaManagedAgentsStreamSessionEvents> events;
    try (Events stream = stream(s)) {
      send(s, message("make a greeting file"));
      events = stream.untilIdle();
    }

    BetaManagedAgentsAgentToolUseEvent use = only(toolUses(events));
    assertEquals("bash", use.name());
    assertEquals(JsonValue.from("echo hello > greet.txt && cat greet.txt && pwd"), use.input()._additionalProperties().get("command"));
    assertEquals(BetaManagedAgentsAgentEvaluatedPermission.ALLOW, use.evaluatedPermission().orElseThrow());
    assertTrue(use.evaluation().orElseThrow().isAlwaysAllow());
    BetaManagedAgentsAgentToolResultEvent result = only(toolResults(events));
    assertEquals(use.id(), result.toolUseId());
    assertFalse(result.isError().orElseThrow(), text(result));
    assertTrue(text(result).contains("hello") && text(result).contains("/workspace"), text(result));
    assertEquals(List.of("Let me check.", "The file says hello."), messageTexts(events));
    assertTrue(stopReason(events).isEndTurn());

    List<BetaManagedAgentsSpanModelRequestStartEvent> starts = modelRequestStarts(events);
    List<BetaManagedAgentsSpanModelRequestEndEvent> ends = modelRequestEnds(events);
    assertEquals(2, starts.size());
    assertEquals(starts.stream().map(BetaManagedAgentsSpanModelRequestStartEvent::id).toList(),
        ends.stream().map(BetaManagedAgentsSpanModelRequestEndEvent::modelRequestStartId).toList());
    assertEquals(100, ends.get(0).modelUsage().inputTokens());
    assertEquals(20, ends.get(0).modelUsage().outputTokens());
    assertEquals(ids(events), historyIds(s), "the history lists what the stream showed");
    BetaManagedAgentsSession session = client.beta().sessions().retrieve(s);
    assertEquals(BetaManagedAgentsSession.Status.IDLE, session.status());
    assertEquals(200, session.usage().inputTokens().orElseThrow());

    String second = upstream.lastRequest().json().encode();
    assertTrue(second.contains("tool_result") && second.contains("hello"), second);
  }

  @Test
  void fileToolsRoundTripThroughWriteEditReadGlobAndGrep() throws Exception {
    requireBubblewrap();
    upstream.enqueue(Upstream.toolUse("t1", "write", input("file_path", "/workspace/notes/todo.txt", "content", "buy milk\nbuy eggs\n")))
        .enqueue(Upstream.toolUse("t2", "edit", input("file_path", "notes/todo.txt", "old_string", "eggs", "new_string", "bread")))
        .enqueue(Upstream.toolUse("t3", "read", input("file_path", "/workspace/notes/todo.txt")))
        .enqueue(Upstream.toolUse("t4", "glob", input("pattern", "**/*.txt")))
        .enqueue(Upstream.toolUse("t5", "grep", input("pattern", "bre+ad")))
        .enqueue(Upstream.text("Done."));
    String s = session(agent -> agent.addTool(toolset()));
    List<BetaManagedAgentsStreamSessionEvents> events;
    try (Events stream = stream(s)) {
      send(s, message("keep a todo list"));
      events = stream.untilIdle();
    }

    List<BetaManagedAgentsAgentToolUseEvent> uses = toolUses(events);
    List<BetaManagedAgentsAgentToolResultEvent> results = toolResults(events);
    assertEquals(List.of("write", "edit", "read", "glob", "grep"), uses.stream().map(BetaManagedAgentsAgentToolUseEvent::name).toList());
    assertEquals(uses.stream().map(BetaManagedAgentsAgentToolUseEvent::id).toList(),
        results.stream().map(BetaManagedAgentsAgentToolResultEvent::toolUseId).toList());
    for (BetaManagedAgentsAgentToolResultEvent r : results) {
      assertFalse(r.isError().orElseThrow(), text(r));
    }
    String read = text(results.get(2));
    assertTrue(read.contains("buy milk") && read.contains("buy bread") && !read.contains("eggs"), read);
    assertTrue(text(results.get(3)).contains("notes/todo.txt"), text(results.get(3)));
    assertTrue(text(results.get(4)).contains("todo.txt:2:buy bread"), text(results.get(4)));
    assertEquals("Done.", text(last(agentMessages(events))));
    assertTrue(stopReason(events).isEndTurn());
  }

  @Test
  void alwaysAskWaitsForConfirmationThenRunsTheAllowedTool() throws Exception {
    requireBubblewrap();
    upstream.enqueue(Upstream.toolUse("t1", "bash", input("command", "echo approved")))
        .enqueue(Upstream.text("Ran it."));
    String s = session(agent -> agent.addTool(askingForBash()));
    try (Events stream = stream(s)) {
      send(s, message("run it"));
      List<BetaManagedAgentsStreamSessionEvents> first = stream.untilIdle();
      BetaManagedAgentsAgentToolUseEvent use = only(toolUses(first));
      assertEquals(BetaManagedAgentsAgentEvaluatedPermission.ASK, use.evaluatedPermission().orElseThrow());
      assertTrue(use.evaluation().orElseThrow().isAlwaysAsk());
      BetaManagedAgentsSessionStatusIdleEvent.StopReason paused = stopReason(first);
      assertTrue(paused.isRequiresAction());
      assertEquals(List.of(use.id()), paused.asRequiresAction().eventIds());
      assertTrue(toolResults(first).isEmpty(), "nothing runs before the client allows it");

      send(s, EventSendParams.builder().addEvent(BetaManagedAgentsUserToolConfirmationEventParams.builder()
          .toolUseId(use.id()).result(BetaManagedAgentsUserToolConfirmationEventParams.Result.ALLOW).build()).build());
      List<BetaManagedAgentsStreamSessionEvents> second = stream.untilIdle();
      BetaManagedAgentsAgentToolResultEvent result = only(toolResults(second));
      assertEquals(use.id(), result.toolUseId());
      assertFalse(result.isError().orElseThrow());
      assertTrue(text(result).contains("approved"), text(result));
      assertEquals("Ran it.", text(only(agentMessages(second))));
      assertTrue(stopReason(second).isEndTurn());
    }
  }

  @Test
  void alwaysAskDeniedFeedsTheDenyMessageBackToTheModel() throws Exception {
    requireBubblewrap();
    upstream.enqueue(Upstream.toolUse("t1", "bash", input("command", "touch /workspace/should-not-exist")))
        .enqueue(Upstream.text("Understood, I will not."));
    String s = session(agent -> agent.addTool(askingForBash()));
    try (Events stream = stream(s)) {
      send(s, message("do it"));
      String useId = only(toolUses(stream.untilIdle())).id();
      send(s, EventSendParams.builder().addEvent(BetaManagedAgentsUserToolConfirmationEventParams.builder()
          .toolUseId(useId).result(BetaManagedAgentsUserToolConfirmationEventParams.Result.DENY)
          .denyMessage("Read .env.example instead").build()).build());
      List<BetaManagedAgentsStreamSessionEvents> events = stream.untilIdle();

      BetaManagedAgentsAgentToolResultEvent result = only(toolResults(events));
      assertEquals(useId, result.toolUseId());
      assertTrue(result.isError().orElseThrow());
      assertEquals("Read .env.example instead", text(result));
      assertEquals("Understood, I will not.", text(only(agentMessages(events))));
      assertTrue(stopReason(events).isEndTurn());
    }
    JsonArray messages = upstream.lastRequest().json().getJsonArray("messages");
    JsonObject toolResult = messages.getJsonObject(messages.size() - 1).getJsonArray("content").getJsonObject(0);
    assertEquals("tool_result", toolResult.getString("type"));
    assertTrue(toolResult.getBoolean("is_error"));
    assertTrue(toolResult.encode().contains("Read .env.example instead"), "the model is told why: " + toolResult.encode());
  }

  @Test
  void anInterruptStopsALongBashCommandAndTheNextTurnRuns() throws Exception {
    requireBubblewrap();
    upstream.enqueue(Upstream.toolUse("t1", "bash", input("command", "sleep 120; echo finished")))
        .enqueue(Upstream.text("Next turn works."));
    String s = session(agent -> agent.addTool(toolset()));
    try (Events stream = stream(s)) {
      send(s, message("wait a long time"));
      stream.until(BetaManagedAgentsStreamSessionEvents::isAgentToolUse);
      long t0 = System.nanoTime();
      send(s, interrupt());
      List<BetaManagedAgentsStreamSessionEvents> interrupted = stream.untilIdle();
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "the interrupt took effect at once");
      assertTrue(interrupted.stream().anyMatch(BetaManagedAgentsStreamSessionEvents::isUserInterrupt),
          types(interrupted).toString());
      assertTrue(toolResults(interrupted).isEmpty(), "the interrupted command has no result");
      assertTrue(stopReason(interrupted).isEndTurn());

      send(s, message("are you there?"));
      List<BetaManagedAgentsStreamSessionEvents> next = stream.untilIdle();
      assertEquals("Next turn works.", text(only(agentMessages(next))));
      assertTrue(stopReason(next).isEndTurn());
    }
    String last = upstream.lastRequest().json().encode();
    assertTrue(last.contains("interrupted"), "the model is told the call never finished: " + last);
  }

  // ---------------------------------------------------------------- model turns, custom tools, interrupts

  @Test
  void customToolRoundTripPausesForTheClientAndResumes() throws Exception {
    upstream.enqueue(Upstream.toolUse("toolu_1", "get_weather", new JsonObject().put("city", "Paris")))
        .enqueue(Upstream.text("It is 22 degrees in Paris."));
    String s = session(agent -> agent.addTool(weatherTool()));
    List<BetaManagedAgentsStreamSessionEvents> all = new ArrayList<>();
    try (Events stream = stream(s)) {
      send(s, message("weather in Paris?"));
      List<BetaManagedAgentsStreamSessionEvents> first = stream.untilIdle();
      all.addAll(first);
      BetaManagedAgentsAgentCustomToolUseEvent use = only(customToolUses(first));
      assertEquals("get_weather", use.name());
      assertEquals(JsonValue.from("Paris"), use.input()._additionalProperties().get("city"));
      BetaManagedAgentsSessionStatusIdleEvent.StopReason paused = stopReason(first);
      assertTrue(paused.isRequiresAction());
      assertEquals(List.of(use.id()), paused.asRequiresAction().eventIds());
      assertEquals(BetaManagedAgentsSession.Status.IDLE, client.beta().sessions().retrieve(s).status());

      send(s, EventSendParams.builder().addEvent(BetaManagedAgentsUserCustomToolResultEventParams.builder()
          .customToolUseId(use.id()).addTextContent("{\"temp_c\":22}").build()).build());
      List<BetaManagedAgentsStreamSessionEvents> second = stream.untilIdle();
      all.addAll(second);
      assertEquals(use.id(), only(customToolResults(second)).customToolUseId());
      assertEquals("It is 22 degrees in Paris.", text(only(agentMessages(second))));
      assertTrue(stopReason(second).isEndTurn());
    }
    assertEquals(ids(all), historyIds(s));

    // The second model call carried the tool use and its result, paired.
    JsonArray messages = upstream.lastRequest().json().getJsonArray("messages");
    assertEquals(3, messages.size(), messages.encodePrettily());
    JsonObject toolUse = messages.getJsonObject(1).getJsonArray("content").getJsonObject(1);
    JsonObject result = messages.getJsonObject(2).getJsonArray("content").getJsonObject(0);
    assertEquals("tool_use", toolUse.getString("type"));
    assertEquals("get_weather", toolUse.getString("name"));
    assertEquals("tool_result", result.getString("type"));
    assertEquals(toolUse.getString("id"), result.getString("tool_use_id"));
    assertTrue(result.encode().contains("temp_c"), result.encode());
  }

  @Test
  void anInterruptCancelsASlowModelCallAndTheNextTurnRuns() throws Exception {
    upstream.enqueue(FakeUpstream.Reply.hangs()).enqueue(Upstream.text("Back again."));
    String s = session(agent -> agent);
    try (Events stream = stream(s)) {
      send(s, message("think hard"));
      BetaManagedAgentsSpanModelRequestStartEvent started =
          last(stream.until(BetaManagedAgentsStreamSessionEvents::isSpanModelRequestStart)).asSpanModelRequestStart();
      // Interrupt once the model call has reached the upstream, so there is a request to reset.
      dev.junction.testing.Eventually.assertTrue("model call reached the upstream", () -> upstream.requests().size() == 1, 10_000);
      send(s, interrupt());
      List<BetaManagedAgentsStreamSessionEvents> interrupted = stream.untilIdle();
      assertTrue(stopReason(interrupted).isEndTurn());
      BetaManagedAgentsSpanModelRequestEndEvent ended = only(modelRequestEnds(interrupted));
      assertEquals(started.id(), ended.modelRequestStartId());
      assertTrue(agentMessages(interrupted).isEmpty(), types(interrupted).toString());
      assertNotNull(upstream.resets().toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS),
          "the upstream request was reset");

      send(s, message("still there?"));
      List<BetaManagedAgentsStreamSessionEvents> next = stream.untilIdle();
      assertEquals("Back again.", text(only(agentMessages(next))));
      assertTrue(stopReason(next).isEndTurn());
    }
    assertEquals(2, upstream.requests().size());
  }

  @Test
  void messagesQueuedWhileRunningAreAnsweredByOneMoreModelCall() throws Exception {
    // The first reply drips slowly so that two more messages arrive while the session is running.
    upstream.enqueue(Upstream.text("First answer.").drip(8, 20)).enqueue(Upstream.text("Both answered."));
    String s = session(agent -> agent);
    List<BetaManagedAgentsStreamSessionEvents> events;
    try (Events stream = stream(s)) {
      send(s, message("one"));
      stream.until(BetaManagedAgentsStreamSessionEvents::isSpanModelRequestStart);
      send(s, message("two"));
      send(s, message("three"));
      events = stream.untilIdle();
    }
    assertEquals(1, events.stream().filter(BetaManagedAgentsStreamSessionEvents::isSpanModelRequestStart).count(),
        "one more model call answered both queued messages: " + types(events));
    assertEquals(List.of("First answer.", "Both answered."), messageTexts(events));
    assertTrue(stopReason(events).isEndTurn());
    assertEquals(2, upstream.requests().size());
    JsonArray messages = upstream.lastRequest().json().getJsonArray("messages");
    JsonObject queued = messages.getJsonObject(messages.size() - 1);
    assertEquals("user", queued.getString("role"));
    assertEquals("two", queued.getJsonArray("content").getJsonObject(0).getString("text"));
    assertEquals("three", queued.getJsonArray("content").getJsonObject(1).getString("text"));
  }

  @Test
  void eventDeltasPreviewAPrefixOfTheFinalMessageUnderItsId() throws Exception {
    upstream.enqueue(Upstream.streamText("The answer ", "is forty", " two."));
    String s = session(agent -> agent);
    EventStreamParams withPreviews = EventStreamParams.builder().addEventDelta(BetaManagedAgentsDeltaType.AGENT_MESSAGE).build();
    List<BetaManagedAgentsStreamSessionEvents> events;
    List<BetaManagedAgentsStreamSessionEvents> plainEvents;
    try (Events previews = stream(s, withPreviews); Events plain = stream(s)) {
      send(s, message("what is it?"));
      events = previews.untilIdle();
      plainEvents = plain.untilIdle();
    }

    List<String> types = types(events);
    int start = types.indexOf("event_start");
    int message = types.indexOf("agent.message");
    assertTrue(types.indexOf("span.model_request_start") < start && start < message, types.toString());
    BetaManagedAgentsAgentMessageEvent finalMessage = events.get(message).asAgentMessage();
    assertEquals("The answer is forty two.", text(finalMessage));
    BetaManagedAgentsStartEventPreview preview = events.get(start).asEventStart().event();
    assertTrue(preview.isAgentMessage(), preview.toString());
    assertEquals(finalMessage.id(), preview.asAgentMessage().id());
    StringBuilder previewed = new StringBuilder();
    for (BetaManagedAgentsStreamSessionEvents e : events.subList(start + 1, message)) {
      assertTrue(e.isEventDelta(), type(e));
      BetaManagedAgentsDeltaEvent delta = e.asEventDelta();
      assertEquals(finalMessage.id(), delta.eventId());
      previewed.append(delta.delta().content().text());
    }
    assertTrue(previewed.length() > 0 && finalMessage.id().length() > 0, types.toString());
    assertTrue(text(finalMessage).startsWith(previewed.toString()), previewed.toString());
    assertEquals(1, events.stream().filter(BetaManagedAgentsStreamSessionEvents::isEventStart).count());

    // A subscriber that did not ask for previews sees none, and the history holds only the final message.
    assertTrue(plainEvents.stream().noneMatch(e -> e.isEventStart() || e.isEventDelta()), types(plainEvents).toString());
    assertEquals(ids(plainEvents), historyIds(s));
    List<BetaManagedAgentsSessionEvent> listed = client.beta().sessions().events().list(s,
        EventListParams.builder().addType(BetaManagedAgentsSessionEventType.AGENT_MESSAGE).build()).data();
    assertEquals(List.of(finalMessage.id()), listed.stream().map(BetaManagedAgentsSessionEvent::id).toList());
    assertTrue(upstream.lastRequest().json().getBoolean("stream"), "the model call streamed");
  }

  @Test
  void anOverloadedUpstreamIsRetriedThenExhausted() throws Exception {
    upstream.otherwise(FakeUpstream.Reply.fixture("anthropic/error_529_overloaded.json"));
    String s = session(agent -> agent);
    List<BetaManagedAgentsStreamSessionEvents> events;
    try (Events stream = stream(s)) {
      send(s, message("hello"));
      events = stream.untilIdle();
    }

    List<BetaManagedAgentsModelOverloadedError> errors = sessionErrors(events).stream()
        .map(BetaManagedAgentsSessionErrorEvent::error)
        .map(BetaManagedAgentsSessionErrorEvent.Error::asModelOverloaded).toList();
    assertEquals(3, errors.size(), types(events).toString());
    assertTrue(errors.get(0).retryStatus().isRetrying());
    assertTrue(errors.get(1).retryStatus().isRetrying());
    assertTrue(errors.get(2).retryStatus().isExhausted());
    assertFalse(errors.get(0).message().isBlank());
    assertEquals(2, events.stream().filter(BetaManagedAgentsStreamSessionEvents::isSessionStatusRescheduled).count(),
        types(events).toString());
    List<String> types = types(events);
    assertTrue(types.indexOf("session.status_rescheduled") > types.indexOf("session.error"), types.toString());
    assertTrue(stopReason(events).isRetriesExhausted());
    assertTrue(agentMessages(events).isEmpty());
    assertEquals(3, upstream.requests().size());
    assertEquals(ids(events), historyIds(s));
  }

  // ---------------------------------------------------------------- helpers

  private static void requireBubblewrap() {
    Assumptions.assumeTrue(new File("/usr/bin/bwrap").canExecute(), "bubblewrap (bwrap) is not installed");
  }

  private String session(UnaryOperator<AgentCreateParams.Builder> tools) {
    String agent = client.beta().agents().create(tools.apply(AgentCreateParams.builder().name("loop")
        .model(BetaManagedAgentsModel.of(MODEL)).system("You are terse.")).build()).id();
    String env = client.beta().environments().create(EnvironmentCreateParams.builder().name("e").build()).id();
    return client.beta().sessions().create(SessionCreateParams.builder().agent(agent).environmentId(env).build()).id();
  }

  private static BetaManagedAgentsAgentToolset20260401Params toolset() {
    return BetaManagedAgentsAgentToolset20260401Params.builder().build();
  }

  private static BetaManagedAgentsAgentToolset20260401Params askingForBash() {
    return BetaManagedAgentsAgentToolset20260401Params.builder()
        .addConfig(BetaManagedAgentsBashToolConfigParams.builder()
            .permissionPolicy(BetaManagedAgentsAlwaysAskPolicy.builder().build()).build())
        .build();
  }

  private static BetaManagedAgentsCustomToolParams weatherTool() {
    return BetaManagedAgentsCustomToolParams.builder()
        .name("get_weather")
        .description("Weather for a city")
        .inputSchema(BetaManagedAgentsCustomToolInputSchema.builder()
            .properties(BetaManagedAgentsCustomToolInputSchema.Properties.builder()
                .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string")))
                .build())
            .addRequired("city")
            .build())
        .build();
  }

  private static JsonObject input(String... kv) {
    JsonObject o = new JsonObject();
    for (int i = 0; i < kv.length; i += 2) {
      o.put(kv[i], kv[i + 1]);
    }
    return o;
  }

  private static EventSendParams message(String text) {
    return EventSendParams.builder().addEvent(BetaManagedAgentsUserMessageEventParams.builder().addTextContent(text).build()).build();
  }

  private static EventSendParams interrupt() {
    return EventSendParams.builder().addEvent(BetaManagedAgentsUserInterruptEventParams.builder().build()).build();
  }

  private void send(String session, EventSendParams events) {
    assertEquals(events.events().size(), client.beta().sessions().events().send(session, events).data().orElseThrow().size());
  }

  private Events stream(String session) {
    return stream(session, EventStreamParams.none());
  }

  private Events stream(String session, EventStreamParams params) {
    return new Events(client.beta().sessions().events().streamStreaming(session, params));
  }

  /** Every event id in the session's history, oldest first, as the SDK's auto-pager lists them. */
  private List<String> historyIds(String session) {
    List<String> out = new ArrayList<>();
    client.beta().sessions().events().list(session, EventListParams.builder().limit(5).build()).autoPager()
        .forEach(e -> out.add(e.id()));
    return out;
  }

  private static List<String> ids(List<BetaManagedAgentsStreamSessionEvents> events) {
    return events.stream().map(AgentLoopSdkIT::id).toList();
  }

  private static String id(BetaManagedAgentsStreamSessionEvents e) {
    return ObjectMappers.jsonMapper().valueToTree(e).path("id").asText();
  }

  /** The wire type of a streamed event, for ordering checks and failure messages. */
  private static String type(BetaManagedAgentsStreamSessionEvents e) {
    return ObjectMappers.jsonMapper().valueToTree(e).path("type").asText();
  }

  private static List<String> types(List<BetaManagedAgentsStreamSessionEvents> events) {
    return events.stream().map(AgentLoopSdkIT::type).toList();
  }

  private static List<BetaManagedAgentsAgentToolUseEvent> toolUses(List<BetaManagedAgentsStreamSessionEvents> events) {
    return of(events, BetaManagedAgentsStreamSessionEvents::isAgentToolUse, BetaManagedAgentsStreamSessionEvents::asAgentToolUse);
  }

  private static List<BetaManagedAgentsAgentToolResultEvent> toolResults(List<BetaManagedAgentsStreamSessionEvents> events) {
    return of(events, BetaManagedAgentsStreamSessionEvents::isAgentToolResult, BetaManagedAgentsStreamSessionEvents::asAgentToolResult);
  }

  private static List<BetaManagedAgentsAgentCustomToolUseEvent> customToolUses(List<BetaManagedAgentsStreamSessionEvents> events) {
    return of(events, BetaManagedAgentsStreamSessionEvents::isAgentCustomToolUse,
        BetaManagedAgentsStreamSessionEvents::asAgentCustomToolUse);
  }

  private static List<BetaManagedAgentsUserCustomToolResultEvent> customToolResults(
      List<BetaManagedAgentsStreamSessionEvents> events) {
    return of(events, BetaManagedAgentsStreamSessionEvents::isUserCustomToolResult,
        BetaManagedAgentsStreamSessionEvents::asUserCustomToolResult);
  }

  private static List<BetaManagedAgentsAgentMessageEvent> agentMessages(List<BetaManagedAgentsStreamSessionEvents> events) {
    return of(events, BetaManagedAgentsStreamSessionEvents::isAgentMessage, BetaManagedAgentsStreamSessionEvents::asAgentMessage);
  }

  private static List<String> messageTexts(List<BetaManagedAgentsStreamSessionEvents> events) {
    return agentMessages(events).stream().map(AgentLoopSdkIT::text).toList();
  }

  private static List<BetaManagedAgentsSpanModelRequestStartEvent> modelRequestStarts(
      List<BetaManagedAgentsStreamSessionEvents> events) {
    return of(events, BetaManagedAgentsStreamSessionEvents::isSpanModelRequestStart,
        BetaManagedAgentsStreamSessionEvents::asSpanModelRequestStart);
  }

  private static List<BetaManagedAgentsSpanModelRequestEndEvent> modelRequestEnds(
      List<BetaManagedAgentsStreamSessionEvents> events) {
    return of(events, BetaManagedAgentsStreamSessionEvents::isSpanModelRequestEnd,
        BetaManagedAgentsStreamSessionEvents::asSpanModelRequestEnd);
  }

  private static List<BetaManagedAgentsSessionErrorEvent> sessionErrors(List<BetaManagedAgentsStreamSessionEvents> events) {
    return of(events, BetaManagedAgentsStreamSessionEvents::isSessionError, BetaManagedAgentsStreamSessionEvents::asSessionError);
  }

  private static <T> List<T> of(List<BetaManagedAgentsStreamSessionEvents> events,
                                Predicate<BetaManagedAgentsStreamSessionEvents> is,
                                Function<BetaManagedAgentsStreamSessionEvents, T> as) {
    return events.stream().filter(is).map(as).toList();
  }

  private static <T> T only(List<T> items) {
    assertEquals(1, items.size(), items.toString());
    return items.get(0);
  }

  private static <T> T last(List<T> items) {
    assertFalse(items.isEmpty());
    return items.get(items.size() - 1);
  }

  private static BetaManagedAgentsSessionStatusIdleEvent.StopReason stopReason(List<BetaManagedAgentsStreamSessionEvents> events) {
    return last(events).asSessionStatusIdle().stopReason();
  }

  private static String text(BetaManagedAgentsAgentMessageEvent message) {
    return message.content().get(0).asText().text();
  }

  private static String text(BetaManagedAgentsAgentToolResultEvent result) {
    return result.content().orElseThrow().get(0).asText().text();
  }

  /**
   * A session's live stream as the SDK parses it, read on a thread of its own so that a test waits for an event
   * with a bound; a parse failure (strict validation) fails the waiting test with its cause.
   */
  private static final class Events implements AutoCloseable {
    private static final Object END = new Object();

    private final StreamResponse<BetaManagedAgentsStreamSessionEvents> response;
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final Thread reader;

    Events(StreamResponse<BetaManagedAgentsStreamSessionEvents> response) {
      this.response = response;
      this.reader = new Thread(() -> {
        try {
          response.stream().forEach(received::add);
          received.add(END);
        } catch (Throwable t) {
          received.add(t);
        }
      }, "sdk-event-stream");
      reader.setDaemon(true);
      reader.start();
    }

    /** Reads events until one matches; returns every event read, that one last. */
    List<BetaManagedAgentsStreamSessionEvents> until(Predicate<BetaManagedAgentsStreamSessionEvents> wanted)
        throws InterruptedException {
      List<BetaManagedAgentsStreamSessionEvents> seen = new ArrayList<>();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        Object next = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (next == null) {
          fail("no awaited event within " + WAIT + "; saw " + types(seen));
        }
        if (next == END) {
          fail("the stream ended; saw " + types(seen));
        }
        if (next instanceof Throwable t) {
          throw new AssertionError("the SDK could not read the stream after " + types(seen), t);
        }
        BetaManagedAgentsStreamSessionEvents event = (BetaManagedAgentsStreamSessionEvents) next;
        seen.add(event);
        if (wanted.test(event)) {
          return seen;
        }
      }
    }

    List<BetaManagedAgentsStreamSessionEvents> untilIdle() throws InterruptedException {
      return new ArrayList<>(until(BetaManagedAgentsStreamSessionEvents::isSessionStatusIdle));
    }

    @Override
    public void close() throws InterruptedException {
      response.close();
      reader.join(WAIT.toMillis());
    }
  }
}
