package dev.junction.provider.anthropic;

import dev.junction.provider.JsonMembers;
import dev.junction.provider.StreamEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one-pass reading of a relayed stream's usual events gives what the general decoding gives. */
class UsualStreamEventsTest {
  /** Opens a text block (0), a server-tool block the canonical form skips (1) and a tool call (2). */
  private static final List<String> PRELUDE = List.of(
      "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-x\",\"usage\":"
          + "{\"input_tokens\":25,\"output_tokens\":1,\"cache_read_input_tokens\":7}}}",
      "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
      "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"server_tool_use\",\"id\":\"s\",\"name\":\"web_search\"}}",
      "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\",\"input\":{}}}");

  private static final List<String> USUAL = List.of(
      "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-y\","
          + "\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"output_tokens\":1,"
          + "\"cache_creation_input_tokens\":3,\"cache_read_input_tokens\":7}}}",
      "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"model\":\"x\"}}",
      "{\"type\":\"message_start\",\"message\":{\"model\":\"x\",\"usage\":{\"input_tokens\":2.0,\"output_tokens\":\"n/a\"}},\"extra\":{\"type\":1}}",
      "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
      "{\"type\":\"content_block_start\",\"content_block\":{\"type\":\"text\",\"text\":\"Hi\",\"citations\":[]},\"index\":3}",
      "{\"type\":\"content_block_start\",\"index\":4,\"content_block\":{\"type\":\"text\"}}",
      "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"lookup\",\"input\":{}}}",
      "{\"type\":\"content_block_start\",\"index\":5,\"content_block\":{\"type\":\"tool_use\",\"name\":\"f\",\"id\":\"t\",\"caller\":{\"type\":\"direct\"}}}",
      "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello \\u00e9\\n\"}}",
      "{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"order\"},\"index\":0}",
      "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\"}}",
      "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\":\"}}",
      "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hm\",\"extra\":[1]}}",
      "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig\"}}",
      "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"x\"}}",
      "{\"type\":\"content_block_stop\",\"index\":0}",
      "{\"type\":\"content_block_stop\",\"index\":1}",
      "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}",
      "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"stop_sequence\",\"stop_sequence\":\"END\"},"
          + "\"usage\":{\"input_tokens\":30,\"output_tokens\":2.0,\"cache_creation_input_tokens\":\"n/a\",\"server_tool_use\":{\"web_search_requests\":1}}}",
      "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":null}",
      "{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":3}}",
      "{\"type\":\"message_stop\"}",
      "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":1}}",
      "{\"type\":\"ping\"}");

  private static final List<String> UNUSUAL = List.of(
      "{\"index\":0,\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"type second\"}}",
      "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"citations_delta\",\"citation\":{}}}",
      "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":null}}",
      "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\",\"text\":\"b\"}}",
      "{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"no index\"}}",
      "{\"type\":\"content_block_delta\",\"index\":\"0\",\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}",
      "{\"type\":\"content_block_delta\",\"index\":0}",
      "{\"type\":\"content_block_stop\"}",
      "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":7}}",
      "{\"type\":\"message_delta\",\"delta\":null}",
      "{\"type\":\"message_delta\",\"usage\":[1]}",
      "{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":1,\"output_tokens\":2}}",
      "{\"type\":\"message_stop\",\"type\":\"ping\"}",
      "{\"type\":\"message_start\",\"message\":{\"id\":\"m\"}}",
      "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"model\":null}}",
      "{\"type\":\"message_start\",\"message\":{\"id\":7,\"model\":\"x\"}}",
      "{\"type\":\"message_start\",\"message\":{\"model\":\"x\",\"model\":\"y\"}}",
      "{\"type\":\"message_start\",\"message\":{\"model\":\"x\",\"usage\":null}}",
      "{\"type\":\"message_start\",\"message\":{\"model\":\"x\",\"usage\":[]}}",
      "{\"type\":\"message_start\",\"message\":{\"model\":\"x\"},\"message\":{\"model\":\"y\"}}",
      "{\"type\":\"message_start\"}",
      "{\"type\":\"content_block_start\",\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
      "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":null}}",
      "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\",\"cache_control\":{\"type\":\"ephemeral\"}}}",
      "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"text\":\"\",\"type\":\"text\"}}",
      "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\",\"input\":{\"a\":1}}}",
      "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t\",\"input\":{}}}",
      "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"server_tool_use\",\"id\":\"s\",\"name\":\"web_search\"}}",
      "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}",
      "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":\"text\"}",
      "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
      "{\"type\":\"content_block_stop\",\"index\":0} trailing",
      "not json");

  @Test
  void theUsualEventsReadInOnePassAsTheGeneralDecodingReadsThem() {
    for (String frame : USUAL) {
      List<StreamEvent> general = generally(frame);
      List<StreamEvent> usual = new ArrayList<>();
      AnthropicStreamDecoder d = primed(usual);
      assertTrue(d.usual(Buffer.buffer(frame), usual::add), frame);
      assertEquals(general, usual, frame);
    }
  }

  @Test
  void anythingElseIsLeftToTheGeneralDecodingUntouched() {
    for (String frame : UNUSUAL) {
      List<StreamEvent> general = generally(frame);
      List<StreamEvent> seen = new ArrayList<>();
      AnthropicStreamDecoder d = primed(seen);
      assertFalse(d.usual(Buffer.buffer(frame), seen::add), frame);
      d.event(null, object(frame), () -> frame, seen::add);
      assertEquals(describe(general), describe(seen), frame);
    }
  }

  @Test
  void aStreamTheDecoderSplitsItselfReadsEveryFrameAsTheGeneralDecodingDoes() {
    List<String> frames = new ArrayList<>(USUAL);
    frames.addAll(UNUSUAL);
    for (String frame : frames) {
      List<StreamEvent> general = generally(frame);
      List<StreamEvent> fed = new ArrayList<>();
      AnthropicStreamDecoder d = primed(fed);
      d.feed(Buffer.buffer("event: x\ndata: " + frame + "\n\n"), fed::add);
      assertEquals(describe(general), describe(fed), frame);
    }
  }

  @Test
  void usageStaysCumulativeAcrossTheWaysAnEventIsRead() {
    List<StreamEvent> seen = new ArrayList<>();
    AnthropicStreamDecoder d = primed(seen);
    assertTrue(d.usual(Buffer.buffer("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":15}}"),
        seen::add));
    StreamEvent.MessageDelta delta = (StreamEvent.MessageDelta) seen.get(seen.size() - 1);
    assertEquals(25, delta.usage().inputTokens(), "input from message_start is kept");
    assertEquals(7, delta.usage().cacheReadTokens());
    assertEquals(15, delta.usage().outputTokens());
    assertTrue(d.usual(Buffer.buffer("{\"type\":\"message_stop\"}"), seen::add));
    assertTrue(d.finished());
    int size = seen.size();
    assertTrue(d.usual(Buffer.buffer("{\"type\":\"content_block_stop\",\"index\":0}"), seen::add), "after the stop: ignored");
    assertEquals(size, seen.size());
  }

  private static AnthropicStreamDecoder primed(List<StreamEvent> sink) {
    AnthropicStreamDecoder d = new AnthropicStreamDecoder();
    for (String frame : PRELUDE) {
      d.event(null, object(frame), () -> frame, sink::add);
    }
    sink.clear();
    return d;
  }

  private static List<StreamEvent> generally(String frame) {
    List<StreamEvent> out = new ArrayList<>();
    primed(out).event(null, object(frame), () -> frame, out::add);
    return out;
  }

  private static JsonObject object(String frame) {
    try {
      return JsonMembers.object(Buffer.buffer(frame));
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  /** Errors compared by class and message (a ProviderException has no equals of its own). */
  private static List<String> describe(List<StreamEvent> events) {
    return events.stream().map(e -> e instanceof StreamEvent.Error err
        ? "error " + err.failure().failureClass() + ": " + err.failure().getMessage() : e.toString()).toList();
  }
}
