package dev.junction.provider.openai;

import dev.junction.provider.StreamEvent;
import dev.junction.provider.StreamWriter;
import dev.junction.provider.openaicompat.TaggedTextHandler;
import dev.junction.testing.Fixtures;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-pass reading of a Chat stream's usual chunks gives what the general decoding gives: the
 * same events, the same calls of the text handler, and the same state, which shows in what later
 * chunks and {@code [DONE]} write (the response id in a synthesized tool id, the finish reason and
 * the usage in the closing delta).
 */
class UsualChatChunksTest {
  private static final String FIRST = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
      + "\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}";
  private static final String TEXT = "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}";
  /** A tool call without an id: the one written for it at the finish is synthesized from the response id. */
  private static final String TOOL = "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":"
      + "[{\"index\":0,\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},\"finish_reason\":null}]}";

  /** Where a frame is put in a stream that ends with [DONE]. */
  private record Around(List<String> before, List<String> after) {
    List<String> with(String frame) {
      List<String> frames = new ArrayList<>(before);
      frames.addAll(from(frame));
      return frames;
    }

    List<String> from(String frame) {
      List<String> frames = new ArrayList<>(List.of(frame));
      frames.addAll(after);
      return frames;
    }
  }

  private static final List<Around> PLACES = List.of(
      new Around(List.of(), List.of(TOOL)),
      new Around(List.of(FIRST, TEXT), List.of()),
      new Around(List.of(FIRST, TOOL), List.of(TEXT)));

  private static final List<String> USUAL = List.of(
      "{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1764155990,\"model\":\"gpt-5.2\","
          + "\"service_tier\":\"default\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\","
          + "\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"Xy3kQ\"}",
      "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-5.2\",\"choices\":[{\"index\":0,"
          + "\"delta\":{\"content\":\"Hello \\u00e9\\n\\\"q\\\" \\ud83d\\ude00\"},\"logprobs\":null,\"finish_reason\":null}],"
          + "\"usage\":null,\"obfuscation\":\"a9\"}",
      "{\"id\":\"c\",\"model\":\"deepseek\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"hm\",\"content\":null}}]}",
      "{\"id\":\"chatcmpl-522\",\"object\":\"chat.completion.chunk\",\"created\":1764156210,\"model\":\"qwen3:8b\","
          + "\"system_fingerprint\":\"fp_ollama\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\","
          + "\"reasoning\":\"The user wants\"},\"finish_reason\":null}]}",
      "{\"choices\":[{\"delta\":{\"reasoning\":\"\",\"reasoning_content\":\"not read: reasoning is given\"}}]}",
      "{\"choices\":[{\"delta\":{\"reasoning\":null,\"reasoning_content\":\"read\"}}]}",
      "{\"choices\":[{\"delta\":{\"content\":\"after\",\"reasoning\":\"before\"}}]}",
      "{\"choices\":[{\"delta\":{\"content\":\"<think>hidden</think>shown\"}}]}",
      "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-5.2\",\"choices\":[{\"index\":0,"
          + "\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null,\"obfuscation\":\"kLm0\"}",
      "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}",
      "{\"id\":\"c\",\"model\":\"Qwen/Qwen3-8B\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"logprobs\":null,"
          + "\"finish_reason\":\"tool_calls\",\"stop_reason\":null}]}",
      "{\"choices\":[{\"index\":0,\"delta\":null,\"finish_reason\":\"content_filter\"}]}",
      "{\"choices\":[{\"finish_reason\":\"stop\",\"index\":0}]}",
      "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-5.2\",\"service_tier\":\"default\","
          + "\"choices\":[],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":10,\"total_tokens\":29,"
          + "\"prompt_tokens_details\":{\"cached_tokens\":4,\"audio_tokens\":0},\"completion_tokens_details\":"
          + "{\"reasoning_tokens\":0,\"audio_tokens\":0}},\"obfuscation\":\"7Hq2sTn\"}",
      "{\"choices\":[],\"usage\":{\"prompt_tokens\":312,\"total_tokens\":370,\"completion_tokens\":58,\"prompt_tokens_details\":null}}",
      "{\"choices\":[],\"usage\":{\"prompt_tokens\":30.9,\"completion_tokens\":\"n/a\",\"prompt_tokens_details\":"
          + "{\"cached_tokens\":10,\"cache_write_tokens\":5,\"cached_tokens_x\":[1]}}}",
      "{\"choices\":[],\"usage\":{\"prompt_tokens\":99999999999999999999,\"completion_tokens\":{\"n\":1},\"total_tokens\":null}}",
      "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}",
      "{\"choices\":[],\"usage\":{\"prompt_tokens\":-1,\"completion_tokens\":3}}",
      "{\"choices\":[],\"usage\":{\"prompt_tokens\":2,\"prompt_tokens_details\":{\"cached_tokens\":5}}}",
      "{\"id\":\"c\",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}",
      "{\"choices\":null,\"error\":null,\"usage\":null}",
      "{\"choices\":[{\"delta\":{\"content\":\"x\",\"tool_calls\":null}}]}",
      "{\"choices\":[{\"delta\":{\"content\":\"y\",\"tool_calls\":[]}}]}",
      "{\"choices\":[{\"delta\":{\"content\":\"\\\"tool_calls\\\":[{\"}}]}",
      "{\"id\":null,\"model\":null,\"choices\":[{\"delta\":{\"content\":\"z\"}}]}",
      "{\"logprobs\":{\"a\":1,\"a\":2},\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"w\",\"extra\":{\"content\":5}},"
          + "\"logprobs\":{\"content\":[{\"token\":\"w\"}]},\"function_call\":{\"x\":[{}]}}]}",
      "{}",
      "  {\"choices\":[{\"delta\":{\"content\":\"padded\"}}]}  ");

  private static final List<String> UNUSUAL = List.of(
      "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{}\"}}]}}]}",
      "{\"choices\":[{\"delta\":{\"content\":\"a\",\"tool_calls\":[{\"index\":1,\"id\":\"call_1\",\"function\":{\"name\":\"g\",\"arguments\":\"\"}}]}}]}",
      "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}",
      "{\"id\":\"c\",\"choices\":[],\"error\":\"boom\"}",
      "{\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"choices\":[{\"delta\":{\"content\":\"b\"}}]}",
      "{\"choices\":[{\"delta\":{\"content\":\"a\",\"content\":\"b\"}}]}",
      "{\"choices\":[{\"delta\":{\"reasoning\":\"a\",\"reasoning\":\"b\"}}]}",
      "{\"choices\":[{\"finish_reason\":null,\"finish_reason\":\"stop\"}]}",
      "{\"choices\":[{\"delta\":{},\"delta\":{\"content\":\"b\"}}]}",
      "{\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"prompt_tokens\":2}}",
      "{\"choices\":[],\"usage\":{\"prompt_tokens\":1},\"usage\":{\"prompt_tokens\":2}}",
      "{\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"prompt_tokens_details\":{\"cached_tokens\":1,\"cached_tokens\":2}}}",
      "{\"choices\":[{\"delta\":{\"content\":5}}]}",
      "{\"choices\":[{\"delta\":{\"content\":[{\"type\":\"text\",\"text\":\"a\"}]}}]}",
      "{\"choices\":[{\"delta\":{\"reasoning\":{\"text\":\"a\"}}}]}",
      "{\"choices\":[{\"delta\":{},\"finish_reason\":1}]}",
      "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}},{\"index\":1,\"delta\":{\"content\":\"b\"}}]}",
      "{\"choices\":{\"delta\":{\"content\":\"a\"}}}",
      "{\"choices\":[null]}",
      "{\"choices\":[{\"delta\":\"hi\"}]}",
      "{\"choices\":[],\"usage\":[1]}",
      "{\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"prompt_tokens_details\":3}}",
      "{\"choices\":[],\"usage\":{\"completion_tokens\":-1}}",
      "{\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"prompt_tokens_details\":{\"cached_tokens\":-1}}}",
      "{\"choices\":[{\"delta\":{\"tool_calls\":{\"index\":0}}}]}",
      "{\"choices\": [{\"delta\": {\"content\": \"a\", \"tool_calls\": [{\"index\": 0, \"function\": {\"name\": \"g\"}}]}}]}",
      "{\"choices\":[{\"delta\":{\"content\":\"a\",\"tool_calls\":[{}]}}]}",
      "[DONE]",
      "not json",
      "[1,2]",
      "null",
      "{\"choices\":[]} trailing",
      "{\"choices\":[]}{\"choices\":[]}",
      "{\"choices\":[{\"delta\":{\"content\":\"cut");

  @Test
  void theUsualChunksReadInOnePassAsTheGeneralDecodingReadsThem() {
    for (String frame : USUAL) {
      for (Around place : PLACES) {
        List<String> log = new ArrayList<>();
        ChatStreamDecoder d = new ChatStreamDecoder(recording(log, () -> ChatTextHandler.PLAIN), true);
        feed(d, place.before(), log);
        assertTrue(d.usual(frame), frame);
        feed(d, place.after(), log);
        d.feed(Buffer.buffer("data: [DONE]\n\n"), sink(log));
        d.end(sink(log));
        assertEquals(generally(place.with(frame)), log, frame);
      }
    }
  }

  @Test
  void anythingElseIsLeftToTheGeneralDecodingUntouched() {
    for (String frame : UNUSUAL) {
      for (Around place : PLACES) {
        List<String> log = new ArrayList<>();
        ChatStreamDecoder d = new ChatStreamDecoder(recording(log, () -> ChatTextHandler.PLAIN), true);
        feed(d, place.before(), log);
        int before = log.size();
        assertFalse(d.usual(frame), frame);
        assertEquals(before, log.size(), "nothing written for " + frame);
        feed(d, place.from(frame), log);
        d.feed(Buffer.buffer("data: [DONE]\n\n"), sink(log));
        d.end(sink(log));
        assertEquals(generally(place.with(frame)), log, frame);
      }
    }
  }

  @Test
  void anyFrameInAStreamTheDecoderSplitsItselfDecodesAsTheGeneralWayDecodesIt() {
    List<String> frames = new ArrayList<>(USUAL);
    frames.addAll(UNUSUAL);
    for (String frame : frames) {
      for (Around place : PLACES) {
        assertEquals(generally(place.with(frame)), fed(true, place.with(frame), () -> ChatTextHandler.PLAIN), frame);
      }
    }
    assertEquals(generally(USUAL), fed(true, USUAL, () -> ChatTextHandler.PLAIN), "all the usual frames in a row");
  }

  @Test
  void idAndModelAreReadOnlyUntilTheStreamHasStarted() {
    for (String frame : List.of("{\"id\":7,\"model\":[\"m\"],\"choices\":[{\"delta\":{\"content\":\"a\"}}]}",
        "{\"id\":\"a\",\"id\":\"b\",\"model\":\"m\",\"model\":\"n\",\"choices\":[]}")) {
      List<String> log = new ArrayList<>();
      ChatStreamDecoder first = new ChatStreamDecoder(recording(log, () -> ChatTextHandler.PLAIN), true);
      first.feed(Buffer.buffer(), sink(log));
      assertFalse(first.usual(frame), "as the first chunk: " + frame);
      assertEquals(List.of(), log);
      ChatStreamDecoder later = new ChatStreamDecoder(recording(log, () -> ChatTextHandler.PLAIN), true);
      feed(later, List.of(FIRST), log);
      assertTrue(later.usual(frame), "after the first chunk: " + frame);
      later.feed(Buffer.buffer("data: [DONE]\n\n"), sink(log));
      later.end(sink(log));
      assertEquals(generally(List.of(FIRST, frame)), log, frame);
      assertEquals(generally(List.of(frame)), fed(true, List.of(frame), () -> ChatTextHandler.PLAIN), frame);
    }
  }

  @Test
  void theFixtureStreamsSplitAtEveryByteDecodeAsTheGeneralWayDecodesThem() {
    for (String fixture : List.of("openai-chat/stream_text.sse", "openai-chat/stream_tool_calls.sse",
        "openai-chat/stream_error_midstream.sse", "qwen-ollama/v1_stream_tool_calls.sse", "qwen-vllm/stream_tool_calls.sse")) {
      Buffer bytes = Fixtures.bytes(fixture);
      for (Supplier<ChatTextHandler> handler : List.<Supplier<ChatTextHandler>>of(() -> ChatTextHandler.PLAIN,
          () -> new TaggedTextHandler(Set.of("get_weather"), "/1"))) {
        List<String> general = new ArrayList<>();
        ChatStreamDecoder g = new ChatStreamDecoder(recording(general, handler), false);
        g.feed(bytes, sink(general));
        g.end(sink(general));
        for (int cut = 0; cut <= bytes.length(); cut++) {
          List<String> log = new ArrayList<>();
          ChatStreamDecoder d = new ChatStreamDecoder(recording(log, handler), true);
          d.feed(bytes.getBuffer(0, cut), sink(log));
          d.feed(bytes.getBuffer(cut, bytes.length()), sink(log));
          d.end(sink(log));
          assertEquals(general, log, fixture + " cut at byte " + cut);
        }
      }
    }
  }

  /** So that the comparisons above are of the one-pass reading: it takes the chunks it is for, the general way the rest. */
  @Test
  void theFixtureStreamsAreReadInOnePassExceptForToolCallsAndErrors() {
    assertUsual("openai-chat/stream_text.sse", 6, 6);
    assertUsual("openai-chat/stream_tool_calls.sse", 2, 15);
    assertUsual("openai-chat/stream_error_midstream.sse", 3, 4);
    assertUsual("qwen-ollama/v1_stream_tool_calls.sse", 4, 5);
    assertUsual("qwen-vllm/stream_tool_calls.sse", 6, 11);
  }

  @Test
  void aConsumerThatThrowsFailsTheStreamWithoutTheChunkBeingDecodedAgain() {
    List<List<String>> logs = new ArrayList<>();
    for (boolean onePass : new boolean[] {true, false}) {
      List<String> log = new ArrayList<>();
      ChatStreamDecoder d = new ChatStreamDecoder(recording(log, () -> ChatTextHandler.PLAIN), onePass);
      Consumer<StreamEvent> throwing = e -> {
        log.add(describe(e));
        if (e instanceof StreamEvent.TextDelta) {
          throw new IllegalStateException("the consumer failed");
        }
      };
      d.feed(Buffer.buffer("data: " + FIRST + "\n\ndata: " + TEXT + "\n\ndata: [DONE]\n\n"), throwing);
      logs.add(log);
    }
    assertEquals(logs.get(1), logs.get(0));
    assertEquals(1, logs.get(0).stream().filter(s -> s.startsWith("text ")).count(), logs.get(0).toString());
    assertEquals("error MALFORMED: Chat stream chunk is invalid: the consumer failed", logs.get(0).get(logs.get(0).size() - 1));
  }

  /** Feeds the fixture's chunks one at a time, each first to the one-pass reading; counts what it took. */
  private static void assertUsual(String fixture, int usual, int chunks) {
    String text = Fixtures.bytes(fixture).toString(StandardCharsets.UTF_8);
    List<String> frames = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
        frames.add(line.substring("data: ".length()));
      }
    }
    assertEquals(chunks, frames.size(), fixture);
    List<String> log = new ArrayList<>();
    ChatStreamDecoder d = new ChatStreamDecoder(recording(log, () -> ChatTextHandler.PLAIN), true);
    d.feed(Buffer.buffer(), sink(log));
    int read = 0;
    for (String frame : frames) {
      if (d.usual(frame)) {
        read++;
      } else {
        feed(d, List.of(frame), log);
      }
    }
    d.feed(Buffer.buffer("data: [DONE]\n\n"), sink(log));
    d.end(sink(log));
    assertEquals(usual, read, fixture);
    assertEquals(generally(frames), log, fixture);
  }

  private static List<String> generally(List<String> frames) {
    return fed(false, frames, () -> ChatTextHandler.PLAIN);
  }

  /** The frames and [DONE] as one SSE body: the events and the text handler's calls, in order. */
  private static List<String> fed(boolean onePass, List<String> frames, Supplier<ChatTextHandler> handler) {
    List<String> log = new ArrayList<>();
    ChatStreamDecoder d = new ChatStreamDecoder(recording(log, handler), onePass);
    List<String> all = new ArrayList<>(frames);
    all.add("[DONE]");
    feed(d, all, log);
    d.end(sink(log));
    return log;
  }

  private static void feed(ChatStreamDecoder d, List<String> frames, List<String> log) {
    StringBuilder sse = new StringBuilder();
    for (String frame : frames) {
      sse.append("data: ").append(frame).append("\n\n");
    }
    d.feed(Buffer.buffer(sse.toString()), sink(log));
  }

  private static Consumer<StreamEvent> sink(List<String> log) {
    return e -> log.add(describe(e));
  }

  /** The handler's calls go into the log with the events, so their order is compared too. */
  private static ChatTextHandler recording(List<String> log, Supplier<ChatTextHandler> handler) {
    ChatTextHandler inner = handler.get();
    return new ChatTextHandler() {
      @Override
      public void text(String delta, StreamWriter writer) {
        log.add("text " + delta);
        inner.text(delta, writer);
      }

      @Override
      public void flush(StreamWriter writer) {
        log.add("flush");
        inner.flush(writer);
      }
    };
  }

  /** Errors by class and message (a ProviderException has no equals of its own). */
  private static String describe(StreamEvent e) {
    return e instanceof StreamEvent.Error err
        ? "error " + err.failure().failureClass() + ": " + err.failure().getMessage() : e.toString();
  }
}
