package dev.junction.provider.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireDecodersTest {

  private static List<SseEvent> sse(String... chunks) {
    SseDecoder decoder = new SseDecoder();
    List<SseEvent> events = new ArrayList<>();
    for (String chunk : chunks) {
      decoder.feed(Buffer.buffer(chunk), events::add);
    }
    decoder.end(events::add);
    return events;
  }

  @Test
  void sseFollowsTheFramingRules() {
    assertEquals(List.of(new SseEvent("delta", "line one\nline two"), new SseEvent(null, "x")),
        sse(": keep-alive comment\nevent: delta\ndata: line one\ndata:line two\nid: 7\nretry: 10\n\n", "data: x\n\n"));
  }

  @Test
  void loneCarriageReturnsEndLinesToo() {
    assertEquals(List.of(new SseEvent("a", "1"), new SseEvent("b", "2")), sse("event: a\rdata: 1\r\r", "event: b\r", "\ndata: 2\r\n\r\n"));
  }

  @Test
  void aCompleteDataLineWithoutItsBlankLineIsDispatchedButACutLineIsNot() {
    assertEquals(List.of(new SseEvent(null, "[DONE]")), sse("data: [DONE]\n"));
    assertEquals(List.of(new SseEvent(null, "{\"a\":1}")), sse("data: {\"a\":1}\n\ndata: {\"trunc"));
  }

  @Test
  void sseReadsFieldsFromBytesCutAnywhereAndFromSlicesOfLargerBuffers() {
    String stream = "event: d\u00e9lta\ndata: caf\u00e9 \ud83d\ude00\ndata\ndata:\n\n: c\u00e9\nevent\ndata: last\n\n";
    List<SseEvent> expected = List.of(new SseEvent("d\u00e9lta", "caf\u00e9 \ud83d\ude00\n\n"), new SseEvent("", "last"));
    byte[] bytes = stream.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int at = 0; at <= bytes.length; at++) {
      SseDecoder decoder = new SseDecoder();
      List<SseEvent> events = new ArrayList<>();
      Buffer whole = Buffer.buffer("xx").appendBytes(bytes).appendString("yy");
      decoder.feed(whole.slice(2, 2 + at), events::add);
      decoder.feed(whole.slice(2 + at, 2 + bytes.length), events::add);
      decoder.end(events::add);
      assertEquals(expected, events, "split at " + at);
    }
  }

  @Test
  void ndjsonSkipsBlankLinesAndFlushesTheLastLine() {
    NdjsonDecoder decoder = new NdjsonDecoder();
    List<String> docs = new ArrayList<>();
    decoder.feed(Buffer.buffer("{\"a\":1}\n\n  \n{\"b\""), docs::add);
    decoder.feed(Buffer.buffer(":2}"), docs::add);
    decoder.end(docs::add);
    assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), docs);
  }

  @Test
  void linesAreDecodedOnlyWhenWhole() {
    byte[] bytes = "é😀\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int at = 1; at < bytes.length; at++) {
      LineSplitter splitter = new LineSplitter();
      List<String> lines = new ArrayList<>();
      splitter.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, 0, at)), lines::add);
      splitter.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, at, bytes.length)), lines::add);
      assertEquals(List.of("é😀"), lines, "split at " + at);
    }
  }
}
