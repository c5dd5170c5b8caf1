package dev.junction.provider;

import static dev.junction.provider.Decoding.accumulate;
import static dev.junction.provider.Decoding.classify;
import static dev.junction.provider.Decoding.compat;
import static dev.junction.provider.Decoding.events;
import static dev.junction.provider.Decoding.protocol;
import static dev.junction.provider.Expect.text;
import static dev.junction.provider.Expect.thinking;
import static dev.junction.provider.Expect.toolUse;
import static dev.junction.provider.Expect.usage;
import static dev.junction.provider.Expect.weather;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.provider.http.ModelList;
import dev.junction.provider.http.WireProtocol;
import dev.junction.testing.Fixtures;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Every fixture in manifest.json decodes to the canonical value written out here. A fixture
 * without an expectation fails the suite, so new fixtures cannot slip past.
 */
class FixtureGoldenTest {
  private static final WireProtocol ANTHROPIC = protocol(ProviderKind.ANTHROPIC);
  private static final WireProtocol CHAT = protocol(ProviderKind.OPENAI);
  private static final WireProtocol RESPONSES = protocol(ProviderKind.OPENAI_RESPONSES);
  private static final WireProtocol VLLM = compat(Dialect.VLLM);
  private static final WireProtocol OLLAMA = compat(Dialect.OLLAMA);
  private static final WireProtocol OLLAMA_NATIVE = compat(Dialect.OLLAMA_NATIVE);
  private static final WireProtocol LLAMACPP = compat(Dialect.LLAMACPP);
  private static final ModelRequest TURN = Decoding.turn();

  @TestFactory
  Stream<DynamicTest> everyFixtureHasACanonicalExpectation() {
    Map<String, Executable> expectations = expectations();
    return Fixtures.all().stream().map(entry -> DynamicTest.dynamicTest(entry.file(), () -> {
      Executable check = expectations.get(entry.file());
      if (check == null) {
        throw new AssertionError("no golden expectation for fixture " + entry.file());
      }
      check.execute();
    }));
  }

  private static ModelResponse reply(WireProtocol protocol, String file) {
    return protocol.decode(TURN, Fixtures.bytes(file));
  }

  private static ModelResponse streamed(WireProtocol protocol, String file) {
    return accumulate(events(protocol.streamDecoder(TURN), Fixtures.bytes(file)));
  }

  private static ProviderException streamFailure(WireProtocol protocol, String file) {
    List<StreamEvent> events = events(protocol.streamDecoder(TURN), Fixtures.bytes(file));
    StreamEvent last = events.get(events.size() - 1);
    assertFalse(events.stream().anyMatch(e -> e instanceof StreamEvent.MessageStop), "a failed stream never stops cleanly");
    return assertInstanceOf(StreamEvent.Error.class, last).failure();
  }

  private static void parallelWeather(ModelResponse r, String firstId, String secondId) {
    toolUse(r.content().get(r.content().size() - 2), firstId, "get_weather", weather("Paris, France"));
    toolUse(r.content().get(r.content().size() - 1), secondId, "get_weather", weather("Tokyo, Japan"));
    assertEquals(StopReason.TOOL_USE, r.stopReason());
  }

  private static void failure(ProviderException e, FailureClass expected, int status, String type) {
    assertEquals(expected, e.failureClass(), e.toString());
    assertEquals(status, e.status());
    assertEquals(type, e.errorType());
  }

  private static Map<String, Executable> expectations() {
    Map<String, Executable> x = new LinkedHashMap<>();
    // ---- Anthropic ----
    x.put("anthropic/message_text.json", () -> {
      ModelResponse r = reply(ANTHROPIC, "anthropic/message_text.json");
      assertEquals("msg_01XFDUDYJgAACzvnptvVoYEL", r.id());
      assertEquals("claude-sonnet-4-6", r.model());
      assertEquals(1, r.content().size());
      text(r.content().get(0), "Hello! How can I help you today?");
      assertEquals(StopReason.END_TURN, r.stopReason());
      usage(r, 21, 12, 0, 0);
    });
    x.put("anthropic/message_tool_use.json", () -> {
      ModelResponse r = reply(ANTHROPIC, "anthropic/message_tool_use.json");
      assertEquals(3, r.content().size());
      text(r.content().get(0), "I'll check the current weather in both cities.");
      parallelWeather(r, "toolu_01A09q90qw90lq917835lq9", "toolu_01Bq7cF2Z8kLmN4pR6sT9vWx");
      usage(r, 512, 118, 1024, 0);
    });
    x.put("anthropic/stream_text.sse", () -> {
      ModelResponse r = streamed(ANTHROPIC, "anthropic/stream_text.sse");
      assertEquals("msg_01LbtQ2wGxTnA6h3K9pVd5Ey", r.id());
      assertEquals(List.of(new ContentBlock.Text("Hello! How can I help you today?")), r.content());
      assertEquals(StopReason.END_TURN, r.stopReason());
      usage(r, 21, 12, 0, 0);
    });
    x.put("anthropic/stream_tool_use.sse", () -> {
      ModelResponse r = streamed(ANTHROPIC, "anthropic/stream_tool_use.sse");
      assertEquals("msg_01Tg5vH8kJ2mN4pQ7rS9tU1w", r.id());
      assertEquals(3, r.content().size());
      text(r.content().get(0), "I'll check the current weather in both cities.");
      parallelWeather(r, "toolu_01A09q90qw90lq917835lq9", "toolu_01Bq7cF2Z8kLmN4pR6sT9vWx");
      usage(r, 512, 118, 1024, 0);
    });
    x.put("anthropic/stream_thinking_tool_use.sse", () -> {
      ModelResponse r = streamed(ANTHROPIC, "anthropic/stream_thinking_tool_use.sse");
      assertEquals(2, r.content().size());
      thinking(r.content().get(0),
          "The user wants the weather in Paris. I should call get_weather with location Paris, France.",
          "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYdsGyZ7n4T9S0fHhCsSMbHnsmX6R8kCuDrImSN0bDWOe3dn2b7L7pc1x0=");
      toolUse(r.content().get(1), "toolu_01Ce4fG6hJ8kL0mN2pQ4rS6t", "get_weather", weather("Paris, France"));
      assertEquals(StopReason.TOOL_USE, r.stopReason());
      usage(r, 640, 96, 0, 0);
    });
    x.put("anthropic/stream_text_minimal.sse", () -> {
      ModelResponse r = streamed(ANTHROPIC, "anthropic/stream_text_minimal.sse");
      assertEquals("msg_01Hn3bV5cX7zL9kJ1gF3dS5a", r.id());
      assertEquals(List.of(new ContentBlock.Text("Bonjour !")), r.content());
      // message_delta carries only output_tokens: input must survive from message_start
      usage(r, 14, 5, 0, 0);
    });
    x.put("anthropic/stream_error_midstream.sse", () -> {
      List<StreamEvent> events = events(ANTHROPIC.streamDecoder(TURN), Fixtures.bytes("anthropic/stream_error_midstream.sse"));
      assertEquals(new StreamEvent.TextDelta(0, " answer that gets"), events.get(events.size() - 2));
      ProviderException e = streamFailure(ANTHROPIC, "anthropic/stream_error_midstream.sse");
      failure(e, FailureClass.OVERLOADED, 0, "overloaded_error");
      assertEquals("req_011CZk46Bv8Nm0Qw2Er4Ty6U", e.requestId());
    });
    x.put("anthropic/error_429_rate_limit.json", () -> {
      ProviderException e = classify(ANTHROPIC, "anthropic/error_429_rate_limit.json");
      failure(e, FailureClass.RATE_LIMITED, 429, "rate_limit_error");
      assertEquals(Duration.ofSeconds(17), e.retryAfter());
      assertEquals("req_011CZk41Qw2Er4Ty6Ui8Op0A", e.requestId());
      assertTrue(e.retryable());
    });
    x.put("anthropic/error_429_spend_limit.json", () -> {
      ProviderException e = classify(ANTHROPIC, "anthropic/error_429_spend_limit.json");
      failure(e, FailureClass.QUOTA, 429, "rate_limit_error");
      assertNull(e.retryAfter());
      assertFalse(e.retryable());
    });
    x.put("anthropic/error_529_overloaded.json", () ->
        failure(classify(ANTHROPIC, "anthropic/error_529_overloaded.json"), FailureClass.OVERLOADED, 529, "overloaded_error"));
    x.put("anthropic/error_500_api_error.json", () ->
        failure(classify(ANTHROPIC, "anthropic/error_500_api_error.json"), FailureClass.SERVER, 500, "api_error"));
    x.put("anthropic/error_400_invalid_request.json", () -> {
      ProviderException e = classify(ANTHROPIC, "anthropic/error_400_invalid_request.json");
      failure(e, FailureClass.CALLER_FAULT, 400, "invalid_request_error");
      assertFalse(e.contextLength());
      assertTrue(e.getMessage().startsWith("messages.2: `tool_use` ids were found without `tool_result`"));
    });
    // ---- OpenAI Chat ----
    x.put("openai-chat/completion_text.json", () -> {
      ModelResponse r = reply(CHAT, "openai-chat/completion_text.json");
      assertEquals("chatcmpl-CXt4d1Yk9QmW2rV7bN3sP6hJ0aLz", r.id());
      assertEquals("gpt-5.2-2025-12-11", r.model());
      assertEquals(List.of(new ContentBlock.Text("Hello! How can I help you today?")), r.content());
      assertEquals(StopReason.END_TURN, r.stopReason());
      usage(r, 19, 10, 0, 0);
    });
    x.put("openai-chat/completion_tool_calls.json", () -> {
      ModelResponse r = reply(CHAT, "openai-chat/completion_tool_calls.json");
      assertEquals(2, r.content().size(), "content null must not become an empty text block");
      parallelWeather(r, "call_Qk3vN8xR2mT5wY7zA1bC4dE6", "call_Hj6kL9mN1pQ3rS5tU7vW9xY2");
      usage(r, 161, 64, 0, 0);
    });
    x.put("openai-chat/stream_text.sse", () -> {
      ModelResponse r = streamed(CHAT, "openai-chat/stream_text.sse");
      assertEquals("chatcmpl-CXt4f3Am1SoY4tX9dP5uR8jL2cNb", r.id());
      assertEquals(List.of(new ContentBlock.Text("Hello! How can I help you today?")), r.content());
      assertEquals(StopReason.END_TURN, r.stopReason());
      usage(r, 19, 10, 0, 0);
    });
    x.put("openai-chat/stream_tool_calls.sse", () -> {
      ModelResponse r = streamed(CHAT, "openai-chat/stream_tool_calls.sse");
      assertEquals(2, r.content().size());
      parallelWeather(r, "call_Qk3vN8xR2mT5wY7zA1bC4dE6", "call_Hj6kL9mN1pQ3rS5tU7vW9xY2");
      usage(r, 161, 64, 0, 0);
    });
    x.put("openai-chat/stream_error_midstream.sse", () ->
        failure(streamFailure(CHAT, "openai-chat/stream_error_midstream.sse"), FailureClass.SERVER, 0, "server_error"));
    x.put("openai-chat/error_429_rate_limit.json", () -> {
      ProviderException e = classify(CHAT, "openai-chat/error_429_rate_limit.json");
      failure(e, FailureClass.RATE_LIMITED, 429, "rate_limit_exceeded");
      assertEquals(Duration.ofSeconds(3), e.retryAfter());
      assertEquals("req_3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f", e.requestId());
    });
    x.put("openai-chat/error_429_insufficient_quota.json", () -> {
      ProviderException e = classify(CHAT, "openai-chat/error_429_insufficient_quota.json");
      failure(e, FailureClass.QUOTA, 429, "insufficient_quota");
      assertFalse(e.retryable());
    });
    x.put("openai-chat/error_500_server_error.json", () ->
        failure(classify(CHAT, "openai-chat/error_500_server_error.json"), FailureClass.SERVER, 500, "server_error"));
    x.put("openai-chat/error_503_overloaded.json", () ->
        failure(classify(CHAT, "openai-chat/error_503_overloaded.json"), FailureClass.OVERLOADED, 503, "server_is_overloaded"));
    // ---- OpenAI Responses ----
    x.put("openai-responses/response_text.json", () -> {
      ModelResponse r = reply(RESPONSES, "openai-responses/response_text.json");
      assertEquals("resp_0c3d4e5f60718293a4b5c6d7e8f9a0b1", r.id());
      // the reasoning item has an empty summary: nothing to show, so no thinking block
      assertEquals(List.of(new ContentBlock.Text("Hello! How can I help you today?")), r.content());
      assertEquals(StopReason.END_TURN, r.stopReason());
      usage(r, 19, 26, 0, 0);
    });
    x.put("openai-responses/response_function_call.json", () -> {
      ModelResponse r = reply(RESPONSES, "openai-responses/response_function_call.json");
      assertEquals(2, r.content().size());
      parallelWeather(r, "call_Rk4wO9yS3nU6xZ8aB2cD5eF7", "call_Ik7lM0nO2pQ4rS6tU8vW0xY3");
      usage(r, 170, 71, 0, 0);
    });
    x.put("openai-responses/stream_text.sse", () -> {
      ModelResponse r = streamed(RESPONSES, "openai-responses/stream_text.sse");
      assertEquals("resp_10718293a4b5c6d7e8f9a0b1c2d3e4f5", r.id());
      assertEquals(List.of(new ContentBlock.Text("Hello! How can I help you today?")), r.content());
      usage(r, 19, 10, 0, 0);
    });
    x.put("openai-responses/stream_function_call.sse", () -> {
      ModelResponse r = streamed(RESPONSES, "openai-responses/stream_function_call.sse");
      assertEquals(1, r.content().size());
      toolUse(r.content().get(0), "call_Rk4wO9yS3nU6xZ8aB2cD5eF7", "get_weather", weather("Paris, France"));
      assertEquals(StopReason.TOOL_USE, r.stopReason());
      usage(r, 170, 38, 0, 0);
    });
    x.put("openai-responses/stream_failed.sse", () ->
        failure(streamFailure(RESPONSES, "openai-responses/stream_failed.sse"), FailureClass.SERVER, 0, "server_error"));
    x.put("openai-responses/stream_error_event.sse", () ->
        failure(streamFailure(RESPONSES, "openai-responses/stream_error_event.sse"), FailureClass.SERVER, 0, "server_error"));
    // ---- local Qwen ----
    x.put("qwen-vllm/chat_tool_calls.json", () -> {
      ModelResponse r = reply(VLLM, "qwen-vllm/chat_tool_calls.json");
      assertEquals(2, r.content().size());
      thinking(r.content().get(0), "The user asks for the weather in Paris. I should call get_weather.", null);
      toolUse(r.content().get(1), "chatcmpl-tool-9f8e7d6c5b4a39281706f5e4d3c2b1a0", "get_weather", weather("Paris, France"));
      assertEquals(StopReason.TOOL_USE, r.stopReason());
      usage(r, 312, 58, 0, 0);
    });
    x.put("qwen-vllm/chat_tool_call_unparsed.json", () -> {
      ModelResponse r = reply(VLLM, "qwen-vllm/chat_tool_call_unparsed.json");
      assertEquals(2, r.content().size(), r.content().toString());
      thinking(r.content().get(0), "The user asks for the weather in Paris.", null);
      toolUse(r.content().get(1), null, "get_weather", weather("Paris, France"));
      assertEquals(StopReason.TOOL_USE, r.stopReason(), "finish_reason stop, but a call is present");
      usage(r, 312, 61, 0, 0);
    });
    x.put("qwen-vllm/stream_tool_calls.sse", () -> {
      ModelResponse r = streamed(VLLM, "qwen-vllm/stream_tool_calls.sse");
      assertEquals(2, r.content().size());
      thinking(r.content().get(0), "The user asks about Paris weather.", null);
      toolUse(r.content().get(1), "chatcmpl-tool-9f8e7d6c5b4a39281706f5e4d3c2b1a0", "get_weather", weather("Paris, France"));
      usage(r, 312, 58, 0, 0);
    });
    x.put("qwen-vllm/error_400_context_length.json", () -> {
      ProviderException e = classify(VLLM, "qwen-vllm/error_400_context_length.json");
      failure(e, FailureClass.CALLER_FAULT, 400, "BadRequestError");
      assertTrue(e.contextLength());
    });
    x.put("qwen-vllm/models.json", () ->
        assertEquals(List.of("Qwen/Qwen3-8B"), ModelList.ids(Fixtures.bytes("qwen-vllm/models.json"))));
    x.put("qwen-ollama/v1_chat_tool_calls.json", () -> {
      ModelResponse r = reply(OLLAMA, "qwen-ollama/v1_chat_tool_calls.json");
      assertEquals(2, r.content().size(), "content \"\" must not become an empty text block");
      thinking(r.content().get(0), "The user wants the weather in Paris. I will call get_weather.", null);
      toolUse(r.content().get(1), "call_x7k2m9qp", "get_weather", weather("Paris, France"));
      usage(r, 188, 61, 0, 0);
    });
    x.put("qwen-ollama/v1_stream_tool_calls.sse", () -> {
      ModelResponse r = streamed(OLLAMA, "qwen-ollama/v1_stream_tool_calls.sse");
      assertEquals(2, r.content().size());
      thinking(r.content().get(0), "The user wants Paris weather.", null);
      toolUse(r.content().get(1), "call_x7k2m9qp", "get_weather", weather("Paris, France"));
      assertEquals(StopReason.TOOL_USE, r.stopReason());
      usage(r, 188, 61, 0, 0);
    });
    x.put("qwen-ollama/api_chat_stream.ndjson", () -> {
      ModelResponse r = streamed(OLLAMA_NATIVE, "qwen-ollama/api_chat_stream.ndjson");
      assertEquals(2, r.content().size());
      thinking(r.content().get(0), "The user wants Paris weather.", null);
      toolUse(r.content().get(1), "call_x7k2m9qp", "get_weather", weather("Paris, France"));
      assertEquals(StopReason.TOOL_USE, r.stopReason(), "done_reason stop, but a call is present");
      usage(r, 188, 61, 0, 0);
    });
    x.put("qwen-ollama/error_404_model_not_found.json", () -> {
      ProviderException e = classify(OLLAMA, "qwen-ollama/error_404_model_not_found.json");
      failure(e, FailureClass.CALLER_FAULT, 404, "not_found_error");
      assertEquals("model \"qwen3:32b\" not found, try pulling it first", e.getMessage());
    });
    x.put("qwen-llamacpp/health_loading_503.json", () -> {
      ProviderException e = classify(LLAMACPP, "qwen-llamacpp/health_loading_503.json");
      failure(e, FailureClass.OVERLOADED, 503, "unavailable_error");
      assertEquals("Loading model", e.getMessage());
    });
    x.put("qwen-llamacpp/chat_tool_calls.json", () -> {
      ModelResponse r = reply(LLAMACPP, "qwen-llamacpp/chat_tool_calls.json");
      assertEquals(2, r.content().size());
      thinking(r.content().get(0), "The user wants the weather in Paris.", null);
      toolUse(r.content().get(1), "vYc2Lr8pXq0mTz5sKj3nWb7dHf1gRa4e", "get_weather", weather("Paris, France"));
      usage(r, 301, 57, 0, 0);
    });
    // ---- request examples: the encoders' golden files ----
    x.put("requests/anthropic_messages_request.json", RequestGoldenTest::anthropic);
    x.put("requests/openai_chat_request.json", RequestGoldenTest::chat);
    x.put("requests/openai_responses_request.json", RequestGoldenTest::responses);
    assertThrows(IllegalArgumentException.class, () -> Fixtures.entry("no/such/fixture.json"));
    return x;
  }
}
