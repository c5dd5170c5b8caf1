package dev.junction.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.junction.provider.anthropic.AnthropicCodec;
import dev.junction.provider.openai.ChatCodec;
import dev.junction.provider.openai.ChatOptions;
import dev.junction.provider.openai.ResponsesCodec;
import dev.junction.testing.Fixtures;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The three request fixtures are what the encoders produce from one canonical turn (system, user,
 * assistant text + two tool_use, two tool_result of which one is_error). JSON is compared
 * structurally; the two immaterial differences are normalised and explained where they occur.
 */
class RequestGoldenTest {

  /** The turn written out by hand: decoding the Anthropic fixture must give exactly this. */
  static ModelRequest canonicalTurn() {
    JsonObject schema = new JsonObject().put("type", "object")
        .put("properties", new JsonObject().put("location", new JsonObject().put("type", "string"))
            .put("unit", new JsonObject().put("type", "string").put("enum", new JsonArray().add("celsius").add("fahrenheit"))))
        .put("required", new JsonArray().add("location"));
    return ModelRequest.builder("claude-sonnet-4-6").maxTokens(1024)
        .system("You are a helpful assistant. Use tools when needed.").stream(true)
        .metadata("user_id", "9c1f0d4e-user-hash").toolChoice(ToolChoice.AUTO)
        .tool(new ToolDefinition("get_weather", "Get the current weather for a location.", schema))
        .message(Message.user("What's the weather in Paris and Tokyo?"))
        .message(Message.assistant(new ContentBlock.Text("I'll check the current weather in both cities."),
            new ContentBlock.ToolUse("toolu_01A09q90qw90lq917835lq9", "get_weather", Expect.weather("Paris, France")),
            new ContentBlock.ToolUse("toolu_01Bq7cF2Z8kLmN4pR6sT9vWx", "get_weather", Expect.weather("Tokyo, Japan"))))
        .message(Message.user(new ContentBlock.ToolResult("toolu_01A09q90qw90lq917835lq9", "18°C, light rain", false),
            new ContentBlock.ToolResult("toolu_01Bq7cF2Z8kLmN4pR6sT9vWx", "error: upstream weather service timed out", true)))
        .build();
  }

  @Test
  void anthropicFixtureDecodesToTheCanonicalTurn() {
    assertEquals(canonicalTurn(), Decoding.turn());
  }

  @Test
  void encodesTheAnthropicForm() {
    anthropic();
  }

  @Test
  void encodesTheChatForm() {
    chat();
  }

  @Test
  void encodesTheResponsesForm() {
    responses();
  }

  @Test
  void encodingNeverMutatesTheCanonicalRequest() {
    ModelRequest turn = canonicalTurn();
    ModelRequest copy = canonicalTurn();
    AnthropicCodec.encode(turn);
    JsonObject chat = ChatCodec.encode(turn.withModel("gpt-5.2"), ChatOptions.OPENAI);
    ResponsesCodec.encode(turn.withModel("gpt-5.2"));
    // the encoded tool schema is a copy: changing it leaves the request alone
    chat.getJsonArray("tools").getJsonObject(0).getJsonObject("function").getJsonObject("parameters").put("x", 1);
    assertEquals(copy, turn);
    assertNotSame(turn.tools().get(0).inputSchema(), chat.getJsonArray("tools").getJsonObject(0));
  }

  static void anthropic() {
    JsonObject expected = Fixtures.json("requests/anthropic_messages_request.json");
    JsonObject actual = AnthropicCodec.encode(canonicalTurn());
    // Immaterial: the Messages API defines string content as shorthand for one text block. The
    // fixture writes the second tool_result's content as [{"type":"text",...}] and the encoder
    // uses the shorthand; both are compared in block form.
    assertEquals(blockForm(expected), blockForm(actual));
  }

  static void chat() {
    JsonObject expected = Fixtures.json("requests/openai_chat_request.json");
    JsonObject actual = ChatCodec.encode(canonicalTurn().withModel("gpt-5.2"), ChatOptions.OPENAI);
    // The is_error result needs no "Error: " marker: its text already starts with "error".
    // A material difference, on purpose: the fixture forwards metadata {"user_id": ...}, which
    // OpenAI refuses with 400 "The 'metadata' parameter is only allowed when 'store' is enabled"
    // (reported in tmc/langchaingo#1484 and QwenLM/qwen-code#243), and the gateway does not store
    // completions. The encoder sends the opaque id as safety_identifier instead, as the mapping
    // table in upstreams.md §5.1 says.
    String userId = (String) expected.getJsonObject("metadata").remove("user_id");
    expected.remove("metadata");
    expected.put("safety_identifier", userId);
    assertEquals(expected, actual);
  }

  static void responses() {
    JsonObject expected = Fixtures.json("requests/openai_responses_request.json");
    JsonObject actual = ResponsesCodec.encode(canonicalTurn().withModel("gpt-5.2"));
    // Immaterial: the fixture adds "additionalProperties": false to the tool's parameters. With
    // strict:false OpenAI does not require it, and the encoder passes the caller's schema through
    // unchanged rather than tightening it, so the key is removed from the expectation.
    expected.getJsonArray("tools").getJsonObject(0).getJsonObject("parameters").remove("additionalProperties");
    // The fixture drops the turn's metadata.user_id; the encoder sends it as safety_identifier,
    // per upstreams.md §5.1 (metadata itself would need store:true, see chat()).
    expected.put("safety_identifier", "9c1f0d4e-user-hash");
    assertEquals(expected, actual);
  }

  /** Rewrites every string {@code content} of messages and tool results as a one-text-block array. */
  static JsonObject blockForm(JsonObject request) {
    JsonObject copy = request.copy();
    for (Object m : copy.getJsonArray("messages")) {
      JsonObject message = (JsonObject) m;
      expand(message);
      if (message.getValue("content") instanceof JsonArray blocks) {
        for (Object b : blocks) {
          JsonObject block = (JsonObject) b;
          if ("tool_result".equals(block.getString("type"))) {
            expand(block);
          }
        }
      }
    }
    return copy;
  }

  private static void expand(JsonObject holder) {
    if (holder.getValue("content") instanceof String text) {
      holder.put("content", new JsonArray(List.of(new JsonObject().put("type", "text").put("text", text))));
    }
  }
}
