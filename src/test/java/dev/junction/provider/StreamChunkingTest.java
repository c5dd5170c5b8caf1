package dev.junction.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.provider.wire.StreamDecoder;
import dev.junction.testing.Fixtures;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Stream decoders fed fixture bytes in random chunk sizes (many seeds), split at every single
 * byte position, and with CRLF line ends, produce exactly the events of one read. A synthetic
 * stream full of multi-byte UTF-8 text makes sure splits inside characters are among them.
 */
class StreamChunkingTest {
  private static final int SEEDS = 150;

  private static Supplier<StreamDecoder> decoderFor(String file) {
    ModelRequest turn = Decoding.turn();
    if (file.startsWith("anthropic/")) {
      return () -> Decoding.protocol(ProviderKind.ANTHROPIC).streamDecoder(turn);
    } else if (file.startsWith("openai-chat/")) {
      return () -> Decoding.protocol(ProviderKind.OPENAI).streamDecoder(turn);
    } else if (file.startsWith("openai-responses/")) {
      return () -> Decoding.protocol(ProviderKind.OPENAI_RESPONSES).streamDecoder(turn);
    } else if (file.startsWith("qwen-vllm/")) {
      return () -> Decoding.compat(Dialect.VLLM).streamDecoder(turn);
    } else if (file.endsWith(".ndjson")) {
      return () -> Decoding.compat(Dialect.OLLAMA_NATIVE).streamDecoder(turn);
    }
    return () -> Decoding.compat(Dialect.OLLAMA).streamDecoder(turn);
  }

  /** Events as comparable text: an Error's exception compares by class and message. */
  static List<String> normalise(List<StreamEvent> events) {
    List<String> out = new ArrayList<>(events.size());
    for (StreamEvent event : events) {
      if (event instanceof StreamEvent.Error error) {
        out.add("Error(" + error.failure().failureClass() + ": " + error.failure().getMessage() + ")");
      } else {
        out.add(event.toString());
      }
    }
    return out;
  }

  static List<String> decode(Supplier<StreamDecoder> decoder, Buffer bytes, int... chunks) {
    return normalise(Decoding.events(decoder.get(), bytes, chunks));
  }

  static int[] randomChunks(Random random, int count) {
    int[] sizes = new int[count];
    for (int i = 0; i < count; i++) {
      // mostly tiny pieces, sometimes a large one, like a real socket
      sizes[i] = random.nextInt(10) == 0 ? 1 + random.nextInt(200) : 1 + random.nextInt(7);
    }
    return sizes;
  }

  @TestFactory
  Stream<DynamicTest> randomChunkSizesGiveTheSameEventsAsOneRead() {
    return Fixtures.all().stream().filter(Fixtures.Entry::stream).map(entry -> DynamicTest.dynamicTest(entry.file(), () -> {
      Supplier<StreamDecoder> decoder = decoderFor(entry.file());
      Buffer bytes = Fixtures.bytes(entry.file());
      List<String> oneRead = decode(decoder, bytes);
      assertTrue(oneRead.size() >= 2, "the fixture decodes to a real stream: " + oneRead);
      for (int seed = 1; seed <= SEEDS; seed++) {
        int[] chunks = randomChunks(new Random(seed), 64);
        assertEquals(oneRead, decode(decoder, bytes, chunks), "seed " + seed);
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> everySingleSplitPointGivesTheSameEvents() {
    return Fixtures.all().stream().filter(Fixtures.Entry::stream).map(entry -> DynamicTest.dynamicTest(entry.file(), () -> {
      Supplier<StreamDecoder> decoder = decoderFor(entry.file());
      Buffer bytes = Fixtures.bytes(entry.file());
      List<String> oneRead = decode(decoder, bytes);
      for (int at = 1; at < bytes.length(); at++) {
        assertEquals(oneRead, decode(decoder, bytes, at, bytes.length()), "split at byte " + at);
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> crlfLineEndsGiveTheSameEvents() {
    return Fixtures.all().stream().filter(Fixtures.Entry::stream).map(entry -> DynamicTest.dynamicTest(entry.file(), () -> {
      Supplier<StreamDecoder> decoder = decoderFor(entry.file());
      Buffer lf = Fixtures.bytes(entry.file());
      Buffer crlf = Buffer.buffer(lf.toString(StandardCharsets.UTF_8).replace("\n", "\r\n"));
      List<String> oneRead = decode(decoder, lf);
      for (int seed = 1; seed <= 20; seed++) {
        assertEquals(oneRead, decode(decoder, crlf, randomChunks(new Random(seed), 64)), "seed " + seed);
      }
    }));
  }

  @Test
  void splitsInsideMultiByteCharactersAreHarmless() {
    String[] pieces = {"Grüße aus ", "東京", " — 🌧️ 18°C", ", naïve café ", "𝄞"};
    StringBuilder sse = new StringBuilder();
    sse.append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_u\",\"model\":\"m\","
        + "\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}\n\n");
    sse.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
    for (String piece : pieces) {
      sse.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
          + "\"delta\":{\"type\":\"text_delta\",\"text\":\"").append(piece).append("\"}}\n\n");
    }
    sse.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
    sse.append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
        + "\"usage\":{\"output_tokens\":9}}\n\n");
    sse.append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    Buffer bytes = Buffer.buffer(sse.toString());
    assertTrue(bytes.length() > sse.length(), "the stream holds multi-byte characters");
    Supplier<StreamDecoder> decoder = decoderFor("anthropic/x.sse");
    String expected = String.join("", pieces);
    for (int at = 1; at < bytes.length(); at++) {
      ModelResponse r = Decoding.accumulate(Decoding.events(decoder.get(), bytes, at, 1, 2, 3, bytes.length()));
      assertEquals(expected, r.text(), "split at byte " + at);
    }
  }
}
