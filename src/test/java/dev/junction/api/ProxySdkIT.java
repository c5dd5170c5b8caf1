package dev.junction.api;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolUseBlock;
import dev.junction.testing.FakeUpstream.Reply;
import dev.junction.testing.Gateway;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The official Anthropic Java SDK against {@code /v1/messages}, with Anthropic and OpenAI targets behind it. */
class ProxySdkIT {
  private ProxyRig rig;
  private AnthropicClient client;

  @BeforeEach
  void start() throws Exception {
    rig = ProxyRig.start();
    client = AnthropicOkHttpClient.builder().baseUrl(rig.baseUrl()).apiKey(Gateway.KEY).maxRetries(0)
        .responseValidation(true).build();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    rig.close();
  }

  private static MessageCreateParams.Builder params(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(1024).addUserMessage("Hello");
  }

  private static Tool weatherTool() {
    return Tool.builder().name("get_weather").description("Weather for a place")
        .inputSchema(Tool.InputSchema.builder().properties(Tool.InputSchema.Properties.builder()
            .putAdditionalProperty("location", JsonValue.from(Map.of("type", "string")))
            .putAdditionalProperty("unit", JsonValue.from(Map.of("type", "string"))).build())
            .required(List.of("location")).build())
        .build();
  }

  @SuppressWarnings("unchecked")
  private static String input(ToolUseBlock use, String field) {
    Map<String, JsonValue> input = (Map<String, JsonValue>) use._input().asObject().orElseThrow();
    return (String) input.get(field).asString().orElseThrow();
  }

  @Test
  void createReturnsTheUpstreamTextAndUsageWithRoutingHeaders() {
    rig.anthropic.enqueue(Reply.fixture("anthropic/message_text.json"));
    HttpResponseFor<Message> raw = client.messages().withRawResponse().create(params("claude-sonnet-4-6").build());
    Message message = raw.parse();
    assertEquals("Hello! How can I help you today?", message.content().get(0).asText().text());
    assertEquals(21, message.usage().inputTokens());
    assertEquals(12, message.usage().outputTokens());
    assertEquals(StopReason.END_TURN, message.stopReason().orElseThrow());
    assertEquals("requested-claude", raw.headers().values("x-junction-route").get(0));
    assertEquals("anthropic/claude-sonnet-4-6", raw.headers().values("x-junction-target").get(0));
    assertEquals("1", raw.headers().values("x-junction-attempts").get(0));
    assertTrue(Double.parseDouble(raw.headers().values("x-junction-overhead-ms").get(0)) >= 0);
    var sent = rig.anthropic.lastRequest();
    assertEquals("/v1/messages", sent.path());
    assertEquals(ProxyRig.ANTHROPIC_KEY, sent.header("x-api-key"), "the gateway's key goes upstream, not the tenant's");
    assertEquals("claude-sonnet-4-6", sent.json().getString("model"));
    assertEquals("Hello", sent.json().getJsonArray("messages").getJsonObject(0).getString("content"));
  }

  @Test
  void createStreamingAccumulatesTheStreamedTextAndUsage() {
    rig.anthropic.enqueue(Reply.fixture("anthropic/stream_text.sse"));
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params("claude-sonnet-4-6").build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    Message message = accumulator.message();
    assertEquals("Hello! How can I help you today?", message.content().get(0).asText().text());
    assertEquals(21, message.usage().inputTokens());
    assertEquals(12, message.usage().outputTokens());
    assertTrue(rig.anthropic.lastRequest().json().getBoolean("stream"));
  }

  @Test
  void toolCallsFromAnOpenAiTargetComeBackAsToolUseBlocks() {
    rig.openai.enqueue(Reply.fixture("openai-chat/completion_tool_calls.json"));
    Message message = client.messages().create(params("gpt-5.4").addTool(weatherTool()).build());
    List<ToolUseBlock> uses = message.content().stream().filter(ContentBlock::isToolUse).map(ContentBlock::asToolUse).toList();
    assertEquals(2, uses.size());
    assertEquals("call_Qk3vN8xR2mT5wY7zA1bC4dE6", uses.get(0).id());
    assertEquals("get_weather", uses.get(0).name());
    assertEquals("Paris, France", input(uses.get(0), "location"));
    assertEquals("Tokyo, Japan", input(uses.get(1), "location"));
    assertEquals(StopReason.TOOL_USE, message.stopReason().orElseThrow());
    JsonObject sent = rig.openai.lastRequest().json();
    assertEquals("/v1/chat/completions", rig.openai.lastRequest().path());
    assertEquals("gpt-5.4", sent.getString("model"));
    assertEquals("get_weather", sent.getJsonArray("tools").getJsonObject(0).getJsonObject("function").getString("name"));
  }

  @Test
  void streamedToolCallFragmentsFromAnOpenAiTargetAccumulateIntoToolInputs() {
    rig.openai.enqueue(Reply.fixture("openai-chat/stream_tool_calls.sse"));
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages()
        .createStreaming(params("gpt-5.4").addTool(weatherTool()).build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    Message message = accumulator.message();
    List<ToolUseBlock> uses = message.content().stream().filter(ContentBlock::isToolUse).map(ContentBlock::asToolUse).toList();
    assertEquals(2, uses.size());
    assertEquals("call_Qk3vN8xR2mT5wY7zA1bC4dE6", uses.get(0).id());
    assertEquals("Paris, France", input(uses.get(0), "location"));
    assertEquals("celsius", input(uses.get(0), "unit"));
    assertEquals("Tokyo, Japan", input(uses.get(1), "location"));
    assertEquals(StopReason.TOOL_USE, message.stopReason().orElseThrow());
    assertEquals(161, message.usage().inputTokens());
  }

  @Test
  void aStreamThatFailsAfterItsFirstEventIsAnErrorForTheSdkNotACleanEnd() {
    rig.anthropic.enqueue(Reply.fixture("anthropic/stream_error_midstream.sse"));
    MessageAccumulator accumulator = MessageAccumulator.create();
    AnthropicServiceException e = assertThrows(AnthropicServiceException.class, () -> {
      try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params("claude-sonnet-4-6").build())) {
        stream.stream().forEach(accumulator::accumulate);
      }
    });
    assertTrue(String.valueOf(e.getMessage()).contains("verloaded"), e.getMessage());
    assertThrows(IllegalStateException.class, accumulator::message, "no message_stop reached the SDK");
  }

  @Test
  void countTokensIsAnsweredByTheAnthropicTarget() {
    rig.anthropic.enqueue(Reply.status(200).body("{\"input_tokens\":42}"));
    long tokens = client.messages().countTokens(MessageCountTokensParams.builder().model("claude-sonnet-4-6")
        .addUserMessage("Hello").build()).inputTokens();
    assertEquals(42, tokens);
    var sent = rig.anthropic.lastRequest();
    assertEquals("/v1/messages/count_tokens", sent.path());
    assertTrue(!sent.json().containsKey("max_tokens"), "count_tokens takes no max_tokens");
  }

  @Test
  void whenEveryTargetIsOverloadedTheSdkSeesAnOverloadedError() {
    rig.anthropic.enqueue(Reply.fixture("anthropic/error_529_overloaded.json"));
    rig.openai.enqueue(Reply.fixture("openai-chat/error_503_overloaded.json"));
    AnthropicServiceException e = assertThrows(AnthropicServiceException.class,
        () -> client.messages().create(params("claude-sonnet-4-6").build()));
    assertEquals(529, e.statusCode());
    assertEquals(2, rig.anthropic.requests().size() + rig.openai.requests().size());
  }
}
