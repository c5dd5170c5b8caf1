package dev.junction.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.provider.wire.StreamDecoder;
import dev.junction.testing.Fixtures;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The relay decoders of the same-protocol fast path, fed fixture streams in one read, in random
 * chunk sizes and with CRLF line ends: the caller gets the upstream's bytes unchanged (or without
 * the frames it must not see), and the canonical events, few as they are, fold into the same
 * usage, stop and tool calls as a full decode.
 */
class RelayDecoderTest {
  private static final int SEEDS = 40;
  private static final List<String> ANTHROPIC = List.of("anthropic/stream_text.sse", "anthropic/stream_tool_use.sse",
      "anthropic/stream_thinking_tool_use.sse", "anthropic/stream_text_minimal.sse");
  private static final List<String> CHAT = List.of("openai-chat/stream_text.sse", "openai-chat/stream_tool_calls.sse");

  private static StreamDecoder relay(ProviderKind kind, boolean includeUsage) {
    JsonObject body = new JsonObject().put("model", "m").put("stream", true).put("messages", new JsonArray());
    if (includeUsage) {
      body.put("stream_options", new JsonObject().put("include_usage", true));
    }
    CallOptions options = CallOptions.DEFAULT.withCallerBody(new CallerBody(kind, body));
    return Decoding.protocol(kind).relayDecoder(Decoding.turn().withStream(true), options);
  }

  private static StreamDecoder full(ProviderKind kind) {
    return Decoding.protocol(kind).streamDecoder(Decoding.turn().withStream(true));
  }

  private static String relayed(List<StreamEvent> events) {
    Buffer out = Buffer.buffer();
    for (StreamEvent e : events) {
      if (e instanceof StreamEvent.Relayed r) {
        out.appendBuffer(r.bytes());
      }
    }
    return out.toString();
  }

  private static List<StreamEvent> canonical(List<StreamEvent> events) {
    return events.stream().filter(e -> !(e instanceof StreamEvent.Relayed)).toList();
  }

  /** Nothing is relayed after the terminal event, which is the last one. */
  private static void assertTerminalLast(List<StreamEvent> events) {
    StreamEvent last = events.get(events.size() - 1);
    assertTrue(last instanceof StreamEvent.MessageStop || last instanceof StreamEvent.Error, last.toString());
    for (StreamEvent e : events.subList(0, events.size() - 1)) {
      assertTrue(!(e instanceof StreamEvent.MessageStop) && !(e instanceof StreamEvent.Error), events.toString());
    }
    assertInstanceOf(StreamEvent.MessageStart.class, events.get(0), "the first event is the start: the commit point");
  }

  private static List<int[]> chunkings() {
    List<int[]> out = new ArrayList<>();
    out.add(new int[0]);
    out.add(new int[] {1});
    out.add(new int[] {16});
    for (int seed = 1; seed <= SEEDS; seed++) {
      out.add(StreamChunkingTest.randomChunks(new Random(seed), 64));
    }
    return out;
  }

  private static Stream<DynamicTest> sameReplyAsAFullDecode(ProviderKind kind, List<String> files, boolean crlf) {
    return files.stream().map(file -> DynamicTest.dynamicTest(file + (crlf ? " (CRLF)" : ""), () -> {
      String text = Fixtures.bytes(file).toString();
      Buffer bytes = Buffer.buffer(crlf ? text.replace("\n", "\r\n") : text);
      ModelResponse expected = Decoding.accumulate(Decoding.events(full(kind), bytes));
      for (int[] chunks : chunkings()) {
        List<StreamEvent> events = Decoding.events(relay(kind, true), bytes, chunks);
        assertTerminalLast(events);
        assertEquals(bytes.toString(), relayed(events), "bytes relayed as received");
        ModelResponse folded = Decoding.accumulate(canonical(events));
        assertEquals(expected.usage(), folded.usage());
        assertEquals(expected.stopReason(), folded.stopReason());
        assertEquals(expected.content().stream().filter(b -> b instanceof ContentBlock.ToolUse).toList(),
            folded.content().stream().filter(b -> b instanceof ContentBlock.ToolUse).toList());
        assertEquals(expected.content().isEmpty(), folded.content().isEmpty());
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> anthropicStreamsAreRelayedAsReceived() {
    return Stream.concat(sameReplyAsAFullDecode(ProviderKind.ANTHROPIC, ANTHROPIC, false),
        sameReplyAsAFullDecode(ProviderKind.ANTHROPIC, ANTHROPIC, true));
  }

  @TestFactory
  Stream<DynamicTest> chatStreamsAreRelayedAsReceived() {
    return Stream.concat(sameReplyAsAFullDecode(ProviderKind.OPENAI, CHAT, false),
        sameReplyAsAFullDecode(ProviderKind.OPENAI, CHAT, true));
  }

  @Test
  void oneReadIsOneRelayedBufferAndTextIsDecodedOnlyUntilItIsNotBlank() {
    List<StreamEvent> events = Decoding.events(relay(ProviderKind.ANTHROPIC, false), Fixtures.bytes("anthropic/stream_text.sse"));
    assertEquals(1, events.stream().filter(e -> e instanceof StreamEvent.Relayed).count());
    assertEquals(List.of("Hello"), events.stream().filter(e -> e instanceof StreamEvent.TextDelta)
        .map(e -> ((StreamEvent.TextDelta) e).text()).toList());
  }

  @Test
  void theUsageChunkTheCallerDidNotAskForIsDropped() {
    String text = Fixtures.bytes("openai-chat/stream_text.sse").toString();
    int usage = text.lastIndexOf("data: {", text.indexOf("\"choices\":[]"));
    int done = text.indexOf("data: [DONE]");
    for (int[] chunks : chunkings()) {
      List<StreamEvent> events = Decoding.events(relay(ProviderKind.OPENAI, false), Buffer.buffer(text), chunks);
      assertEquals(text.substring(0, usage) + text.substring(done), relayed(events));
      assertEquals(new Usage(19, 10, 0, 0), Decoding.accumulate(canonical(events)).usage(), "the gateway still reads it");
    }
  }

  @Test
  void anUpstreamErrorEndsTheRelayBeforeTheErrorFrame() {
    for (String file : List.of("anthropic/stream_error_midstream.sse", "openai-chat/stream_error_midstream.sse")) {
      ProviderKind kind = file.startsWith("anthropic/") ? ProviderKind.ANTHROPIC : ProviderKind.OPENAI;
      String text = Fixtures.bytes(file).toString();
      int errorFrame = kind == ProviderKind.ANTHROPIC ? text.indexOf("event: error") : text.indexOf("data: {\"error\"");
      List<StreamEvent> decoded = Decoding.events(full(kind), Buffer.buffer(text));
      StreamEvent.Error expected = (StreamEvent.Error) decoded.get(decoded.size() - 1);
      for (int[] chunks : chunkings()) {
        List<StreamEvent> events = Decoding.events(relay(kind, true), Buffer.buffer(text), chunks);
        assertTerminalLast(events);
        assertEquals(text.substring(0, errorFrame), relayed(events), file);
        StreamEvent.Error error = (StreamEvent.Error) events.get(events.size() - 1);
        assertEquals(expected.failure().failureClass(), error.failure().failureClass());
        assertEquals(expected.failure().getMessage(), error.failure().getMessage());
      }
    }
  }

  @Test
  void aStreamCutMidFrameRelaysTheCompleteFramesThenFails() {
    String text = Fixtures.bytes("anthropic/stream_text.sse").toString();
    int cut = text.indexOf("! How can I");
    List<StreamEvent> events = Decoding.events(relay(ProviderKind.ANTHROPIC, false), Buffer.buffer(text.substring(0, cut)), 7);
    assertTerminalLast(events);
    assertEquals(text.substring(0, text.lastIndexOf("event: content_block_delta", cut)), relayed(events));
    assertEquals(FailureClass.NETWORK, ((StreamEvent.Error) events.get(events.size() - 1)).failure().failureClass());
  }

  @Test
  void aLastFrameWithoutItsBlankLineStillEndsTheStream() {
    String text = Fixtures.bytes("openai-chat/stream_text.sse").toString();
    String cut = text.substring(0, text.length() - 1); // "data: [DONE]\n" and no blank line
    List<StreamEvent> events = Decoding.events(relay(ProviderKind.OPENAI, true), Buffer.buffer(cut), 5);
    assertInstanceOf(StreamEvent.MessageStop.class, events.get(events.size() - 1));
    assertEquals(text, relayed(events), "the frame is completed for the caller");
  }

  @Test
  void pingsBeforeTheStartAreNotRelayedAndNotACommit() {
    String text = Fixtures.bytes("anthropic/stream_text.sse").toString();
    List<StreamEvent> events = Decoding.events(relay(ProviderKind.ANTHROPIC, false),
        Buffer.buffer("event: ping\ndata: {\"type\": \"ping\"}\n\n" + text));
    assertInstanceOf(StreamEvent.MessageStart.class, events.get(0));
    assertEquals(text, relayed(events));
  }

  @Test
  void framesWithSeveralDataLinesOrBadDataAreDecodedAsAFullDecoderDoes() {
    String text = Fixtures.bytes("anthropic/stream_text.sse").toString();
    // the first delta's JSON over two data lines (joined by a line feed: still the same JSON)
    String split = text.replace("data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}",
        "data: {\"type\":\"content_block_delta\",\"index\":0,\ndata: \"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}");
    assertTrue(split.length() > text.length());
    List<StreamEvent> events = Decoding.events(relay(ProviderKind.ANTHROPIC, false), Buffer.buffer(split), 9);
    assertEquals(split, relayed(events));
    assertEquals(List.of("Hello"), events.stream().filter(e -> e instanceof StreamEvent.TextDelta)
        .map(e -> ((StreamEvent.TextDelta) e).text()).toList());
    String bad = text.replace("data: {\"type\":\"content_block_stop\",\"index\":0}", "data: {not json");
    List<StreamEvent> full = Decoding.events(full(ProviderKind.ANTHROPIC), Buffer.buffer(bad));
    List<StreamEvent> relayedEvents = Decoding.events(relay(ProviderKind.ANTHROPIC, false), Buffer.buffer(bad));
    assertEquals(StreamChunkingTest.normalise(List.of(full.get(full.size() - 1))),
        StreamChunkingTest.normalise(List.of(relayedEvents.get(relayedEvents.size() - 1))));
    String chatBad = Fixtures.bytes("openai-chat/stream_text.sse").toString().replaceFirst("data: \\{", "data: [1,");
    List<StreamEvent> chatEvents = Decoding.events(relay(ProviderKind.OPENAI, false), Buffer.buffer(chatBad));
    assertEquals(1, chatEvents.size(), "nothing committed, nothing relayed: " + chatEvents);
    assertEquals(FailureClass.MALFORMED, ((StreamEvent.Error) chatEvents.get(0)).failure().failureClass());
  }

  @Test
  void aCallerOfAnotherProtocolGetsNoRelay() {
    CallOptions chatCaller = CallOptions.DEFAULT.withCallerBody(new CallerBody(ProviderKind.OPENAI, new JsonObject()));
    assertNull(Decoding.protocol(ProviderKind.ANTHROPIC).relayDecoder(Decoding.turn(), chatCaller));
    assertNull(Decoding.protocol(ProviderKind.ANTHROPIC).relayDecoder(Decoding.turn(), CallOptions.DEFAULT));
    assertNull(Decoding.protocol(ProviderKind.OPENAI_RESPONSES).relayDecoder(Decoding.turn(), chatCaller));
  }
}
