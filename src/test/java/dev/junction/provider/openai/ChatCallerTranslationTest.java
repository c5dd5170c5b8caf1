package dev.junction.provider.openai;

import dev.junction.provider.ContentBlock;
import dev.junction.provider.FailureClass;
import dev.junction.provider.Message;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.ProviderException;
import dev.junction.provider.Role;
import dev.junction.provider.StopReason;
import dev.junction.provider.StreamEvent;
import dev.junction.provider.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Chat caller's side of translation: its requests into the canonical form, canonical replies and streams back out. */
class ChatCallerTranslationTest {

  private static JsonObject call(String id, String name, String arguments) {
    return new JsonObject().put("id", id).put("type", "function")
        .put("function", new JsonObject().put("name", name).put("arguments", arguments));
  }

  @Test
  void shouldMergeToolMessagesAndFollowingTextIntoOneUserTurn() {
    JsonObject json = new JsonObject().put("model", "claude-sonnet-4-6").put("max_completion_tokens", 99).put("max_tokens", 5)
        .put("parallel_tool_calls", false).put("tool_choice", "required").put("stop", "END").put("user", "u-1")
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "system").put("content", "Be brief."))
            .add(new JsonObject().put("role", "developer").put("content", new JsonArray()
                .add(new JsonObject().put("type", "text").put("text", "Use tools."))))
            .add(new JsonObject().put("role", "user").put("content", new JsonArray()
                .add(new JsonObject().put("type", "text").put("text", "Look"))
                .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "data:image/png;base64,AAAA")))))
            .add(new JsonObject().put("role", "assistant").put("content", "").put("tool_calls", new JsonArray()
                .add(call("call_a", "now", "")).add(call("call_b", "read", "{\"path\":\"x\"}"))))
            .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_a").put("content", "12:00"))
            .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_b").put("content", "data"))
            .add(new JsonObject().put("role", "user").put("content", "thanks")));
    ModelRequest request = ChatRequestDecoder.decode(json);
    assertEquals(99, request.maxTokens());
    assertEquals("Be brief.\n\nUse tools.", request.systemText());
    assertEquals("any", request.toolChoice().type());
    assertTrue(request.toolChoice().disableParallelToolUse());
    assertEquals(List.of("END"), request.stopSequences());
    assertEquals("u-1", request.metadata().get("user_id"));
    assertEquals(3, request.messages().size());
    ContentBlock.Image image = (ContentBlock.Image) request.messages().get(0).content().get(1);
    assertEquals("image/png", image.source().mediaType());
    assertEquals("AAAA", image.source().data());
    Message assistant = request.messages().get(1);
    assertEquals(Role.ASSISTANT, assistant.role());
    assertEquals(2, assistant.content().size(), "empty text is dropped");
    assertEquals(new JsonObject(), ((ContentBlock.ToolUse) assistant.content().get(0)).input(), "\"\" is a zero-argument call");
    assertEquals("x", ((ContentBlock.ToolUse) assistant.content().get(1)).input().getString("path"));
    List<ContentBlock> user = request.messages().get(2).content();
    assertEquals("call_a", ((ContentBlock.ToolResult) user.get(0)).toolUseId());
    assertEquals("data", ((ContentBlock.ToolResult) user.get(1)).joinedText());
    assertEquals("thanks", ((ContentBlock.Text) user.get(2)).text());
  }

  @Test
  void shouldNameTheFieldOfAnUnreadableRequest() {
    JsonObject badRole = new JsonObject().put("model", "m")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "robot").put("content", "x")));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ChatRequestDecoder.decode(badRole)).getMessage()
        .startsWith("messages[0].role"));
    JsonObject badArguments = new JsonObject().put("model", "m").put("messages", new JsonArray().add(new JsonObject()
        .put("role", "assistant").put("tool_calls", new JsonArray().add(call("c", "f", "{nope")))));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ChatRequestDecoder.decode(badArguments)).getMessage()
        .startsWith("messages[0].tool_calls[0].function.arguments"));
  }

  @Test
  void shouldWriteAReplyWithNullContentBesideToolCallsAndInclusiveUsage() {
    ModelResponse response = new ModelResponse("msg_1", "claude-sonnet-4-6",
        List.of(new ContentBlock.ToolUse("toolu_1", "read", new JsonObject().put("path", "x"))), StopReason.TOOL_USE, null,
        new Usage(100, 20, 30, 10));
    JsonObject json = ChatReplyEncoder.encode(response, "fallback", 1_700_000_000L);
    assertEquals("chatcmpl-msg_1", json.getString("id"));
    JsonObject choice = json.getJsonArray("choices").getJsonObject(0);
    assertEquals("tool_calls", choice.getString("finish_reason"));
    assertNull(choice.getJsonObject("message").getValue("content"));
    JsonObject call = choice.getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0);
    assertEquals("toolu_1", call.getString("id"));
    assertEquals("{\"path\":\"x\"}", call.getJsonObject("function").getString("arguments"));
    JsonObject usage = json.getJsonObject("usage");
    assertEquals(140, usage.getLong("prompt_tokens"));
    assertEquals(30, usage.getJsonObject("prompt_tokens_details").getLong("cached_tokens"));
    assertEquals(160, usage.getLong("total_tokens"));
  }

  @Test
  void shouldNumberStreamedToolCallsAndPassTheirFragmentsOn() {
    List<JsonObject> chunks = new ArrayList<>();
    ChatChunkEncoder encoder = new ChatChunkEncoder("requested", 1L, true);
    List<StreamEvent> events = List.of(
        new StreamEvent.MessageStart("msg_1", "claude-sonnet-4-6", Usage.ZERO),
        new StreamEvent.BlockStart(0, new ContentBlock.Text("")),
        new StreamEvent.TextDelta(0, "Checking."),
        new StreamEvent.BlockStop(0),
        new StreamEvent.BlockStart(1, new ContentBlock.ToolUse("toolu_a", "read", new JsonObject())),
        new StreamEvent.InputJsonDelta(1, ""),
        new StreamEvent.InputJsonDelta(1, "{\"path\":"),
        new StreamEvent.InputJsonDelta(1, "\"x\"}"),
        new StreamEvent.BlockStop(1),
        new StreamEvent.BlockStart(2, new ContentBlock.ToolUse("toolu_b", "now", new JsonObject().put("tz", "UTC"))),
        new StreamEvent.BlockStop(2),
        new StreamEvent.MessageDelta(StopReason.TOOL_USE, null, new Usage(10, 5, 0, 0)),
        new StreamEvent.MessageStop());
    events.forEach(e -> encoder.encode(e, chunks::add));
    assertEquals("claude-sonnet-4-6", chunks.get(0).getString("model"));
    assertEquals("assistant", delta(chunks.get(0)).getString("role"));
    assertEquals("Checking.", delta(chunks.get(1)).getString("content"));
    JsonObject header = delta(chunks.get(2)).getJsonArray("tool_calls").getJsonObject(0);
    assertEquals(0, header.getInteger("index"));
    assertEquals("toolu_a", header.getString("id"));
    assertEquals("read", header.getJsonObject("function").getString("name"));
    assertEquals("{\"path\":", arguments(chunks.get(3)));
    assertEquals("\"x\"}", arguments(chunks.get(4)));
    assertEquals(1, delta(chunks.get(5)).getJsonArray("tool_calls").getJsonObject(0).getInteger("index"));
    assertEquals("{\"tz\":\"UTC\"}", arguments(chunks.get(6)), "an input given whole in the start is sent once");
    assertEquals("tool_calls", chunks.get(7).getJsonArray("choices").getJsonObject(0).getString("finish_reason"));
    assertTrue(chunks.get(8).getJsonArray("choices").isEmpty());
    assertEquals(15, chunks.get(8).getJsonObject("usage").getLong("total_tokens"));
    assertEquals(9, chunks.size());
    assertEquals(chunks.get(0).getString("id"), chunks.get(8).getString("id"));
  }

  @Test
  void shouldWriteTextDeltasAsTheBytesOfTheirChunkTrees() {
    List<String> texts = List.of("Hello", "", " quote \" backslash \\ slash / tab \t newline \n", "\u0000\u001f\u007f",
        "caf\u00e9 \u4e2d\u6587 \ud83d\ude00", "<script>&amp;</script>", "\u2028\u2029");
    for (String model : java.util.Arrays.asList("claude-sonnet-4-6", null)) {
      ChatChunkEncoder trees = new ChatChunkEncoder("requested", 1_700_000_000L, false);
      ChatChunkEncoder bytes = new ChatChunkEncoder("requested", 1_700_000_000L, false);
      List<StreamEvent> events = new ArrayList<>(List.of(new StreamEvent.MessageStart("msg_1", model, Usage.ZERO),
          new StreamEvent.BlockStart(0, new ContentBlock.Text(""))));
      texts.forEach(t -> events.add(new StreamEvent.TextDelta(0, t)));
      events.add(new StreamEvent.MessageStart("msg_2", "other-model", Usage.ZERO));
      events.add(new StreamEvent.TextDelta(0, "after a second start"));
      events.add(new StreamEvent.MessageDelta(StopReason.END_TURN, null, new Usage(1, 2, 0, 0)));
      events.add(new StreamEvent.MessageStop());
      List<String> expected = new ArrayList<>();
      List<String> written = new ArrayList<>();
      for (StreamEvent e : events) {
        trees.encode(e, chunk -> expected.add(chunk.encode()));
        bytes.encodeBytes(e, chunk -> written.add(chunk.toString()));
      }
      assertEquals(expected, written);
      assertTrue(written.get(1).contains("\"content\":\"Hello\""), written.get(1));
    }
  }

  @Test
  void shouldWriteAStreamFailureAsAnOpenAiErrorChunk() {
    JsonObject chunk = ChatChunkEncoder.error(ProviderException.of(FailureClass.OVERLOADED, "busy"));
    assertEquals("busy", chunk.getJsonObject("error").getString("message"));
    assertEquals("server_error", chunk.getJsonObject("error").getString("type"));
    assertEquals("server_is_overloaded", chunk.getJsonObject("error").getString("code"));
    assertTrue(chunk.getJsonObject("error").containsKey("param"));
  }

  private static JsonObject delta(JsonObject chunk) {
    return chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
  }

  private static String arguments(JsonObject chunk) {
    return delta(chunk).getJsonArray("tool_calls").getJsonObject(0).getJsonObject("function").getString("arguments");
  }
}
