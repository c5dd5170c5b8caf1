package dev.junction.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.provider.anthropic.AnthropicCodec;
import dev.junction.provider.openai.ChatCodec;
import dev.junction.provider.openai.ChatOptions;
import dev.junction.provider.openai.ChatStreamDecoder;
import dev.junction.provider.openai.ResponsesCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Translation rules of upstreams.md §5 that the fixtures do not exercise. */
class TranslationTest {
  private static final ToolDefinition NOW = new ToolDefinition("now", "the time", new JsonObject().put("type", "object"));
  private static final ModelRequest BASE = with(Message.user("hi"));

  private static ModelRequest with(Message... messages) {
    return ModelRequest.builder("m").maxTokens(100).tool(NOW).messages(List.of(messages)).build();
  }

  @Test
  void anthropicNeverReceivesEmptyTextForeignReasoningOrForeignIds() {
    ModelRequest request = with(Message.user("question"),
        Message.assistant(new ContentBlock.Thinking("qwen reasoning", null), new ContentBlock.Text(""),
            new ContentBlock.Thinking("signed", "sig"),
            new ContentBlock.ToolUse("functions.now:0", "now", new JsonObject())),
        Message.user(new ContentBlock.ToolResult("functions.now:0", "12:00", false), new ContentBlock.Text("")),
        Message.assistant(new ContentBlock.Text("")));
    JsonArray messages = AnthropicCodec.encode(request).getJsonArray("messages");
    assertEquals(3, messages.size(), "a message left empty is dropped");
    JsonArray assistant = messages.getJsonObject(1).getJsonArray("content");
    assertEquals(2, assistant.size());
    assertEquals(new JsonObject().put("type", "thinking").put("thinking", "signed").put("signature", "sig"),
        assistant.getJsonObject(0));
    String id = assistant.getJsonObject(1).getString("id");
    assertTrue(ToolIds.isValid(id));
    JsonObject result = messages.getJsonObject(2).getJsonArray("content").getJsonObject(0);
    assertEquals(id, result.getString("tool_use_id"), "call and result map identically");
    assertEquals(1, messages.getJsonObject(2).getJsonArray("content").size());
  }

  @Test
  void anthropicGetsOnlyUserIdMetadataAndNoSamplingFromVersion20261021() {
    ModelRequest request = BASE.toBuilder().metadata("user_id", "u1").metadata("junction.task", "planning")
        .temperature(0.2).topP(0.9).build();
    JsonObject old = AnthropicCodec.encode(request, "2023-06-01");
    assertEquals(new JsonObject().put("user_id", "u1"), old.getJsonObject("metadata"));
    assertEquals(0.2, old.getDouble("temperature"));
    JsonObject current = AnthropicCodec.encode(request, "2026-10-21");
    assertFalse(current.containsKey("temperature"));
    assertFalse(current.containsKey("top_p"));
    assertEquals(2, request.metadata().size(), "the canonical request keeps its metadata");
  }

  @Test
  void anthropicPrepareReturnsTheSameRequestWhenNothingNeedsCleaning() {
    ModelRequest turn = RequestGoldenTest.canonicalTurn();
    assertSame(turn, AnthropicCodec.prepare(turn));
  }

  @Test
  void chatRestoresForeignIdsAndSendsZeroArgumentCallsAsEmptyObjects() {
    String mapped = ToolIds.toAnthropic("functions.now:0");
    ModelRequest request = with(Message.user("time?"),
        Message.assistant(new ContentBlock.Thinking("dropped", "sig"), new ContentBlock.ToolUse(mapped, "now", null)),
        Message.user(new ContentBlock.ToolResult(mapped, List.of(new ContentBlock.Text("boom"), new ContentBlock.Text("twice")),
            true, null)));
    JsonArray messages = ChatCodec.encode(request, ChatOptions.OPENAI).getJsonArray("messages");
    JsonObject assistant = messages.getJsonObject(1);
    assertNull(assistant.getValue("content"), "OpenAI wants null content beside tool calls");
    JsonObject call = assistant.getJsonArray("tool_calls").getJsonObject(0);
    assertEquals("functions.now:0", call.getString("id"));
    assertEquals("{}", call.getJsonObject("function").getString("arguments"));
    JsonObject tool = messages.getJsonObject(2);
    assertEquals("functions.now:0", tool.getString("tool_call_id"));
    assertEquals("Error: boom\ntwice", tool.getString("content"), "all blocks joined, error marked");
  }

  @Test
  void chatSendsImagesAsDataUrlsAndToolResultImagesInAFollowingUserMessage() {
    ContentBlock.Image png = new ContentBlock.Image(MediaSource.base64("image/png", "iVBORw0"));
    ModelRequest request = with(Message.user(new ContentBlock.Text("look"), png),
        Message.assistant(new ContentBlock.ToolUse("t1", "now", new JsonObject())),
        Message.user(new ContentBlock.ToolResult("t1", List.of(new ContentBlock.Text("shot"), png), false, null)));
    JsonArray messages = ChatCodec.encode(request, ChatOptions.OPENAI).getJsonArray("messages");
    JsonArray first = messages.getJsonObject(0).getJsonArray("content");
    assertEquals("data:image/png;base64,iVBORw0", first.getJsonObject(1).getJsonObject("image_url").getString("url"));
    assertEquals("tool", messages.getJsonObject(2).getString("role"));
    assertEquals("shot", messages.getJsonObject(2).getString("content"));
    JsonObject follow = messages.getJsonObject(3);
    assertEquals("user", follow.getString("role"));
    assertEquals("image_url", follow.getJsonArray("content").getJsonObject(0).getString("type"));
  }

  @Test
  void chatMapsToolChoiceParallelismAndStops() {
    ModelRequest request = BASE.toBuilder().toolChoice(new ToolChoice("tool", "now", true))
        .stopSequence("a").stopSequence("b").stopSequence("c").stopSequence("d").stopSequence("e").build();
    JsonObject body = ChatCodec.encode(request, ChatOptions.OPENAI);
    assertEquals(new JsonObject().put("type", "function").put("function", new JsonObject().put("name", "now")),
        body.getJsonObject("tool_choice"));
    assertFalse(body.getBoolean("parallel_tool_calls"));
    assertEquals(new JsonArray().add("a").add("b").add("c").add("d"), body.getJsonArray("stop"));
    assertEquals("required", ChatCodec.encode(BASE.toBuilder().toolChoice(ToolChoice.ANY).build(), ChatOptions.OPENAI)
        .getString("tool_choice"));
    assertEquals("medium", ChatCodec.encode(BASE.toBuilder().thinking(ThinkingConfig.enabled(8000)).build(),
        ChatOptions.OPENAI).getString("reasoning_effort"));
  }

  @Test
  void responsesSendsNoStopAndFlatToolsAndIsStateless() {
    JsonObject body = ResponsesCodec.encode(BASE.toBuilder().stopSequence("x").toolChoice(ToolChoice.tool("now")).build());
    assertFalse(body.containsKey("stop"));
    assertFalse(body.getBoolean("store"));
    assertEquals(new JsonObject().put("type", "function").put("name", "now"), body.getJsonObject("tool_choice"));
    assertEquals("now", body.getJsonArray("tools").getJsonObject(0).getString("name"));
  }

  private static ModelResponse chatReply(String message, String finish, String usage) {
    String body = "{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":" + message
        + ",\"finish_reason\":\"" + finish + "\"}],\"usage\":" + usage + "}";
    return ChatCodec.decode(BASE, Buffer.buffer(body));
  }

  @Test
  void chatDecidesToolUseByPresenceAndNormalisesZeroArgumentsAndCachedTokens() {
    ModelResponse r = chatReply("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":"
        + "\"function\",\"function\":{\"name\":\"now\",\"arguments\":\"\"}}]}", "stop",
        "{\"prompt_tokens\":1000,\"completion_tokens\":20,\"prompt_tokens_details\":{\"cached_tokens\":800}}");
    assertEquals(StopReason.TOOL_USE, r.stopReason());
    assertEquals(new ContentBlock.ToolUse("call_1", "now", new JsonObject()), r.content().get(0));
    assertEquals(new Usage(200, 20, 800, 0), r.usage());

    ModelResponse noCalls = chatReply("{\"role\":\"assistant\",\"content\":\"done\"}", "tool_calls", "{}");
    assertEquals(StopReason.END_TURN, noCalls.stopReason(), "tool_calls without calls is not tool use");
    assertEquals(StopReason.MAX_TOKENS, chatReply("{\"content\":\"cut\"}", "length", "{}").stopReason());
  }

  @Test
  void chatRepliesThatCannotBeUsedAreMalformed() {
    ProviderException badJson = assertThrows(ProviderException.class, () -> chatReply(
        "{\"tool_calls\":[{\"id\":\"c\",\"function\":{\"name\":\"now\",\"arguments\":\"{\\\"a\\\":\"}}]}", "tool_calls", "{}"));
    assertEquals(FailureClass.MALFORMED, badJson.failureClass());
    assertTrue(badJson.getMessage().contains("tool call 'now' has invalid JSON arguments"));
    assertEquals(FailureClass.MALFORMED, assertThrows(ProviderException.class,
        () -> chatReply("{\"content\":\"\"}", "stop", "{}")).failureClass(), "an empty reply");
    assertEquals(FailureClass.MALFORMED, assertThrows(ProviderException.class,
        () -> ChatCodec.decode(BASE, Buffer.buffer("<html>502 Bad Gateway</html>"))).failureClass());
  }

  private static String chunk(String delta, String finish) {
    return "data: {\"id\":\"c9\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
        + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n";
  }

  @Test
  void interleavedParallelFragmentsBecomeContiguousBlocks() {
    String sse = chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"now\",\"arguments\":\"{\\\"x\\\":\"}}]}", null)
        + chunk("{\"tool_calls\":[{\"index\":1,\"id\":\"b\",\"function\":{\"name\":\"now\",\"arguments\":\"\"}}]}", null)
        + chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"1}\"}}]}", null)
        + chunk("{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{}\"}}]}", null)
        + chunk("{}", "stop") + "data: [DONE]\n\n";
    List<StreamEvent> events = Decoding.events(new ChatStreamDecoder(), Buffer.buffer(sse), 5);
    ModelResponse r = Decoding.accumulate(events);
    assertEquals(List.of(new ContentBlock.ToolUse("a", "now", new JsonObject().put("x", 1)),
        new ContentBlock.ToolUse("b", "now", new JsonObject())), r.content());
    assertEquals(StopReason.TOOL_USE, r.stopReason());
    // each block: start, one input delta, stop, in order
    assertInstanceOf(StreamEvent.BlockStart.class, events.get(1));
    assertEquals(new StreamEvent.InputJsonDelta(0, "{\"x\":1}"), events.get(2));
    assertEquals(new StreamEvent.BlockStop(0), events.get(3));
    assertEquals(new StreamEvent.InputJsonDelta(1, "{}"), events.get(5));
  }

  @Test
  void aChatStreamCutBeforeDoneOrWithBrokenArgumentsFails() {
    List<StreamEvent> cut = Decoding.events(new ChatStreamDecoder(), Buffer.buffer(chunk("{\"content\":\"par\"}", null)));
    ProviderException network = assertInstanceOf(StreamEvent.Error.class, cut.get(cut.size() - 1)).failure();
    assertEquals(FailureClass.NETWORK, network.failureClass());

    String broken = chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"now\",\"arguments\":\"{oops\"}}]}",
        "tool_calls") + "data: [DONE]\n\n";
    List<StreamEvent> events = Decoding.events(new ChatStreamDecoder(), Buffer.buffer(broken));
    assertEquals(FailureClass.MALFORMED,
        assertInstanceOf(StreamEvent.Error.class, events.get(events.size() - 1)).failure().failureClass());
    assertFalse(events.stream().anyMatch(e -> e instanceof StreamEvent.BlockStart), "nothing of the bad call is emitted");
  }

  @Test
  void canonicalJsonRoundTripsEveryBlockKindOfARequest() {
    ModelRequest request = ModelRequest.builder("claude-opus-4-6").maxTokens(2048)
        .system(new ContentBlock.Text("cached rules", CacheControl.EPHEMERAL)).system("more")
        .tool(new ToolDefinition("now", null, new JsonObject().put("type", "object"), true, new CacheControl("ephemeral", "1h")))
        .toolChoice(new ToolChoice("any", null, true)).thinking(ThinkingConfig.enabled(2048)).effort("high")
        .stopSequence("END").metadata("user_id", "u").temperature(1.0).topK(5)
        .message(Message.user(new ContentBlock.Image(MediaSource.url("https://x/y.png")),
            new ContentBlock.Document(MediaSource.base64("application/pdf", "JVBER"), "spec.pdf"),
            new ContentBlock.Text("read these")))
        .message(Message.assistant(new ContentBlock.Thinking("hmm", "sig"), new ContentBlock.RedactedThinking("enc"),
            new ContentBlock.ToolUse("toolu_9", "now", new JsonObject())))
        .message(Message.user(new ContentBlock.ToolResult("toolu_9", List.of(new ContentBlock.Text("noon"),
            new ContentBlock.Image(MediaSource.base64("image/png", "iVBO"))), true, CacheControl.EPHEMERAL)))
        .build();
    assertEquals(request, CanonicalJson.decodeRequest(CanonicalJson.encodeRequest(request)));
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.decodeBlock(new JsonObject().put("type", "video")));
  }

  @Test
  void canonicalJsonRoundTripsResponsesAndStreamEvents() {
    ModelResponse response = new ModelResponse("msg_1", "m", List.of(new ContentBlock.Thinking("t", "s"),
        new ContentBlock.Text("x"), new ContentBlock.ToolUse("toolu_1", "now", new JsonObject().put("a", 1))),
        StopReason.TOOL_USE, null, new Usage(1, 2, 3, 4));
    assertEquals(response, CanonicalJson.decodeResponse(CanonicalJson.encodeResponse(response)));
    JsonObject delta = CanonicalJson.encodeEvent(new StreamEvent.InputJsonDelta(2, "{\"a\""));
    assertEquals("{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\"\"}}",
        delta.encode());
    assertEquals("error", CanonicalJson.eventName(new StreamEvent.Error(ProviderException.of(FailureClass.SERVER, "x"))));
    assertEquals("overloaded_error", CanonicalJson.encodeEvent(new StreamEvent.Error(
        ProviderException.of(FailureClass.OVERLOADED, "busy"))).getJsonObject("error").getString("type"));
  }
}
