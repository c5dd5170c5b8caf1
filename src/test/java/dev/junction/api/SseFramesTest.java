package dev.junction.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.provider.CanonicalJson;
import dev.junction.provider.ContentBlock;
import dev.junction.provider.StopReason;
import dev.junction.provider.StreamEvent;
import dev.junction.provider.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseFramesTest {
  private static final List<String> TEXTS = List.of("Hello", "", " quote \" backslash \\ slash / tab \t newline \n",
      "\r\b\f", "\u0000\u001f\u007f", "caf\u00e9 \u4e2d\u6587 \ud83d\ude00", "<script>&amp;</script>", "\u2028\u2029",
      "{\"path\":\"/tmp/a b\"}");

  @Test
  void shouldWriteDeltasAndBlockStopsAsTheBytesOfTheirTrees() {
    List<StreamEvent> events = new ArrayList<>();
    for (String text : TEXTS) {
      events.add(new StreamEvent.TextDelta(0, text));
      events.add(new StreamEvent.InputJsonDelta(12, text));
    }
    events.add(new StreamEvent.TextDelta(Integer.MAX_VALUE, "x"));
    events.add(new StreamEvent.BlockStop(0));
    events.add(new StreamEvent.BlockStop(1234567));
    for (StreamEvent event : events) {
      Buffer usual = SseFrames.AnthropicFrames.usual(event);
      assertNotNull(usual, event.toString());
      assertEquals(tree(event), usual.toString(), event.toString());
    }
  }

  @Test
  void shouldLeaveOtherEventsToTheTree() {
    for (StreamEvent event : List.of(new StreamEvent.MessageStart("msg_1", "m", Usage.ZERO),
        new StreamEvent.BlockStart(0, new ContentBlock.Text("")), new StreamEvent.ThinkingDelta(0, "hm"),
        new StreamEvent.MessageDelta(StopReason.END_TURN, null, new Usage(1, 2, 0, 0)), new StreamEvent.MessageStop(),
        new StreamEvent.TextDelta(0, null))) {
      assertNull(SseFrames.AnthropicFrames.usual(event), event.toString());
    }
  }

  @Test
  void shouldFrameAStreamAsBeforeWhicheverWayEachEventIsWritten() {
    List<StreamEvent> events = List.of(new StreamEvent.MessageStart("msg_1", "claude-sonnet-4-6", Usage.ZERO),
        new StreamEvent.BlockStart(0, new ContentBlock.Text("")), new StreamEvent.TextDelta(0, "Hi \"there\""),
        new StreamEvent.BlockStop(0), new StreamEvent.MessageDelta(StopReason.END_TURN, null, new Usage(3, 4, 0, 0)),
        new StreamEvent.MessageStop());
    StringBuilder written = new StringBuilder();
    StringBuilder expected = new StringBuilder();
    SseFrames frames = SseFrames.anthropic();
    for (StreamEvent event : events) {
      frames.event(event, b -> written.append(b.toString()));
      expected.append(tree(event));
    }
    assertEquals(expected.toString(), written.toString());
    String delta = written.toString().split("\n\n")[2];
    assertTrue(delta.startsWith("event: content_block_delta\ndata: "), delta);
    JsonObject data = new JsonObject(delta.substring(delta.indexOf("data: ") + 6));
    assertEquals("Hi \"there\"", data.getJsonObject("delta").getString("text"));
  }

  private static String tree(StreamEvent event) {
    return "event: " + CanonicalJson.eventName(event) + "\ndata: " + CanonicalJson.encodeEvent(event).encode() + "\n\n";
  }
}
