package dev.junction.provider.openaicompat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.provider.ContentBlock;
import dev.junction.provider.Decoding;
import dev.junction.provider.Dialect;
import dev.junction.provider.Message;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.StopReason;
import dev.junction.provider.StreamAccumulator;
import dev.junction.provider.StreamWriter;
import dev.junction.provider.ThinkingConfig;
import dev.junction.provider.ToolChoice;
import dev.junction.provider.ToolDefinition;
import dev.junction.provider.ToolIds;
import dev.junction.provider.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Qwen on local servers: request dialects and the markup servers leave in the text. */
class QwenDialectTest {
  private static final ToolDefinition WEATHER = new ToolDefinition("get_weather", null, new JsonObject().put("type", "object"));
  private static final ModelRequest REQUEST = ModelRequest.builder("qwen3:8b").maxTokens(512).tool(WEATHER)
      .toolChoice(ToolChoice.AUTO).message(Message.user("weather?")).build();

  /** Feeds text through the handler in the given piece sizes and folds the result. */
  private static ModelResponse split(String text, Set<String> tools, int... sizes) {
    StreamAccumulator acc = new StreamAccumulator();
    StreamWriter writer = new StreamWriter().to(acc::accept);
    writer.start("r1", "qwen", Usage.ZERO);
    TaggedTextHandler handler = new TaggedTextHandler(tools, "/1");
    int pos = 0;
    int i = 0;
    while (pos < text.length()) {
      int end = Math.min(text.length(), pos + (sizes.length == 0 ? text.length() : sizes[i++ % sizes.length]));
      handler.text(text.substring(pos, end), writer);
      pos = end;
    }
    handler.flush(writer);
    writer.finish(StopReason.END_TURN, Usage.ZERO);
    return acc.result();
  }

  @Test
  void thinkTagsBecomeAThinkingBlockWhereverTheDeltasAreCut() {
    String text = "<think>\nCompare both cities.\n</think>\n\nParis is warmer.";
    for (int seed = 1; seed <= 200; seed++) {
      Random random = new Random(seed);
      int[] sizes = random.ints(40, 1, 6).toArray();
      ModelResponse r = split(text, Set.of("get_weather"), sizes);
      assertEquals(List.of(new ContentBlock.Thinking("Compare both cities.", null), new ContentBlock.Text("Paris is warmer.")),
          r.content(), "seed " + seed);
    }
  }

  @Test
  void anUnclosedThinkRunsToTheEndAndAnEmptyOneVanishes() {
    assertEquals(List.of(new ContentBlock.Thinking("still going", null)), split("<think>still going", Set.of()).content());
    assertEquals(List.of(new ContentBlock.Text("Hi.")), split("<think>\n\n</think>\n\nHi.", Set.of(), 3).content());
  }

  @Test
  void hermesAndXmlToolCallsInTextBecomeToolUse() {
    String hermes = "Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"location\": \"Paris\"}}\n</tool_call>";
    ModelResponse r = split(hermes, Set.of("get_weather"), 4);
    assertEquals(new ContentBlock.Text("Let me check."), r.content().get(0));
    ContentBlock.ToolUse use = (ContentBlock.ToolUse) r.content().get(1);
    assertEquals("get_weather", use.name());
    assertEquals(new JsonObject().put("location", "Paris"), use.input());
    assertTrue(ToolIds.isValid(use.id()));
    assertEquals(StopReason.TOOL_USE, r.stopReason());

    String xml = "<tool_call>\n<function=get_weather>\n<parameter=location>\nTokyo\n</parameter>\n"
        + "<parameter=days>\n3\n</parameter>\n</function>\n</tool_call>";
    ContentBlock.ToolUse xmlUse = (ContentBlock.ToolUse) split(xml, Set.of("get_weather"), 7).content().get(0);
    assertEquals(new JsonObject().put("location", "Tokyo").put("days", 3), xmlUse.input());
  }

  @Test
  void aTextCallOfAToolThatWasNotOfferedStaysText() {
    String text = "<tool_call>{\"name\": \"rm_rf\", \"arguments\": {}}</tool_call>";
    ModelResponse r = split(text, Set.of("get_weather"));
    assertEquals(List.of(new ContentBlock.Text(text)), r.content());
    assertEquals(StopReason.END_TURN, r.stopReason());
  }

  @Test
  void ollamaAlwaysGetsQwenSamplingAndNoFieldsItIgnores() {
    JsonObject body = CompatCodec.encode(REQUEST.toBuilder().thinking(ThinkingConfig.DISABLED).build(), Dialect.OLLAMA);
    assertEquals(512, body.getInteger("max_tokens"));
    assertEquals(0.7, body.getDouble("temperature"));
    assertEquals(0.8, body.getDouble("top_p"));
    assertEquals("none", body.getString("reasoning_effort"));
    assertFalse(body.containsKey("tool_choice"));
    assertFalse(body.containsKey("parallel_tool_calls"));
    assertFalse(body.containsKey("max_completion_tokens"));
    JsonObject thinking = CompatCodec.encode(REQUEST, Dialect.OLLAMA);
    assertEquals(0.6, thinking.getDouble("temperature"));
    assertEquals(0.95, thinking.getDouble("top_p"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"vllm", "sglang", "llama.cpp"})
  void templateServersSwitchThinkingThroughChatTemplateKwargs(String name) {
    Dialect dialect = Dialect.fromConfig(name);
    JsonObject body = CompatCodec.encode(REQUEST.toBuilder().thinking(ThinkingConfig.DISABLED).build(), dialect);
    assertEquals(new JsonObject().put("enable_thinking", false), body.getJsonObject("chat_template_kwargs"));
    assertEquals("auto", body.getString("tool_choice"));
    assertEquals(512, body.getInteger("max_tokens"));
    assertEquals(dialect == Dialect.SGLANG, body.containsKey("separate_reasoning"));
    assertFalse(body.containsKey("temperature"), "these servers keep the model's own sampling defaults");
  }

  @Test
  void anAnswerThatLeakedIntoReasoningWithThinkingOffIsText() {
    String body = "{\"id\":\"x\",\"model\":\"q\",\"choices\":[{\"message\":{\"content\":null,\"reasoning\":\"Paris: 18°C.\"},"
        + "\"finish_reason\":\"stop\"}]}";
    ModelRequest off = REQUEST.toBuilder().thinking(ThinkingConfig.DISABLED).build();
    assertEquals(List.of(new ContentBlock.Text("Paris: 18°C.")), CompatCodec.decode(off, Buffer.buffer(body)).content());
    assertEquals(List.of(new ContentBlock.Thinking("Paris: 18°C.", null)),
        CompatCodec.decode(REQUEST, Buffer.buffer(body)).content());
  }

  @Test
  void aReplyWithOnlyTheClosingThinkTagStartsWithReasoning() {
    String body = "{\"id\":\"x\",\"model\":\"q\",\"choices\":[{\"message\":{\"content\":"
        + "\"Both are mild.\\n</think>\\n\\nParis is warmer.\"},\"finish_reason\":\"stop\"}]}";
    assertEquals(List.of(new ContentBlock.Thinking("Both are mild.", null), new ContentBlock.Text("Paris is warmer.")),
        CompatCodec.decode(REQUEST, Buffer.buffer(body)).content());
  }

  @Test
  void contentGivenAsPartsIsJoined() {
    String body = "{\"id\":\"x\",\"model\":\"q\",\"choices\":[{\"message\":{\"content\":"
        + "[{\"type\":\"text\",\"text\":\"Par\"},{\"type\":\"text\",\"text\":\"is\"}]},\"finish_reason\":\"stop\"}]}";
    assertEquals(List.of(new ContentBlock.Text("Paris")), CompatCodec.decode(REQUEST, Buffer.buffer(body)).content());
  }

  @Test
  void ollamaNativeRequestUsesOptionsThinkAndObjectArguments() {
    ModelRequest request = REQUEST.toBuilder().message(Message.assistant(
        new ContentBlock.ToolUse("call_1", "get_weather", new JsonObject().put("location", "Paris"))))
        .message(Message.user(new ContentBlock.ToolResult("call_1", "18°C", false))).build();
    JsonObject body = OllamaNativeCodec.encode(request);
    assertEquals(512, body.getJsonObject("options").getInteger("num_predict"));
    assertTrue(body.getBoolean("think"));
    JsonObject assistant = body.getJsonArray("messages").getJsonObject(1);
    assertEquals(new JsonObject().put("location", "Paris"),
        assistant.getJsonArray("tool_calls").getJsonObject(0).getJsonObject("function").getJsonObject("arguments"));
    assertEquals("tool", body.getJsonArray("messages").getJsonObject(2).getString("role"));
  }

  @Test
  void dialectsProbeTheRightRoutes() {
    assertEquals(List.of("/health", "/v1/models"), Decoding.compat(Dialect.VLLM).probePaths());
    assertEquals(List.of("/v1/models"), Decoding.compat(Dialect.OLLAMA).probePaths());
    assertEquals(List.of("/api/tags"), Decoding.compat(Dialect.OLLAMA_NATIVE).probePaths());
  }
}
