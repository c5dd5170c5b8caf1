package dev.junction.bench;

import dev.junction.provider.ContentBlock;
import dev.junction.provider.Dialect;
import dev.junction.provider.Message;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.StreamAccumulator;
import dev.junction.provider.ToolChoice;
import dev.junction.provider.ToolDefinition;
import dev.junction.provider.anthropic.AnthropicCodec;
import dev.junction.provider.anthropic.AnthropicStreamDecoder;
import dev.junction.provider.openai.ChatCodec;
import dev.junction.provider.openai.ChatOptions;
import dev.junction.provider.openai.ChatStreamDecoder;
import dev.junction.provider.openai.ResponsesCodec;
import dev.junction.provider.openai.ResponsesStreamDecoder;
import dev.junction.provider.openaicompat.CompatCodec;
import dev.junction.provider.wire.StreamDecoder;
import dev.junction.testing.Fixtures;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Per adapter: encode a realistic 20-message agent turn to wire bytes, and decode a reply (one
 * read, and the fixture stream through the incremental decoder into a response). This is the
 * gateway-side cost of one model call, excluding the network.
 *
 * <p>Run (see docs/benchmarks.md): {@code mvn -q test-compile dependency:build-classpath
 * -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test} then {@code java -cp
 * target/test-classes:target/classes:$(cat cp.txt) org.openjdk.jmh.Main AdapterCodecBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AdapterCodecBench {
  private ModelRequest turn;
  private Buffer anthropicReply;
  private Buffer chatReply;
  private Buffer responsesReply;
  private Buffer qwenReply;
  private Buffer anthropicStream;
  private Buffer chatStream;
  private Buffer chatTextStream;
  private Buffer responsesStream;

  @Setup
  public void setUp() {
    turn = twentyMessageTurn();
    anthropicReply = Fixtures.bytes("anthropic/message_tool_use.json");
    chatReply = Fixtures.bytes("openai-chat/completion_tool_calls.json");
    responsesReply = Fixtures.bytes("openai-responses/response_function_call.json");
    qwenReply = Fixtures.bytes("qwen-vllm/chat_tool_call_unparsed.json");
    anthropicStream = Fixtures.bytes("anthropic/stream_tool_use.sse");
    chatStream = Fixtures.bytes("openai-chat/stream_tool_calls.sse");
    chatTextStream = Fixtures.bytes("openai-chat/stream_text.sse");
    responsesStream = Fixtures.bytes("openai-responses/stream_function_call.sse");
  }

  /** System prompt, 5 tools, and 10 rounds of user text → assistant text + tool_use → tool_result. */
  static ModelRequest twentyMessageTurn() {
    ModelRequest.Builder b = ModelRequest.builder("claude-sonnet-4-6").maxTokens(4096).toolChoice(ToolChoice.AUTO)
        .system("You are a coding agent working in a repository. ".repeat(40));
    for (String tool : new String[] {"bash", "read", "write", "edit", "grep"}) {
      JsonObject schema = new JsonObject().put("type", "object")
          .put("properties", new JsonObject().put("path", new JsonObject().put("type", "string").put("description", "file path"))
              .put("command", new JsonObject().put("type", "string")).put("limit", new JsonObject().put("type", "integer")))
          .put("required", new JsonArray().add("path"));
      b.tool(new ToolDefinition(tool, "The " + tool + " tool: does what its name says, within the sandbox.", schema));
    }
    for (int i = 0; i < 10; i++) {
      String id = "toolu_01A09q90qw90lq917835l" + i;
      if (i == 0) {
        b.message(Message.user("Please find and fix the failing test in the parser module. ".repeat(3)));
      } else {
        b.message(Message.user(new ContentBlock.ToolResult("toolu_01A09q90qw90lq917835l" + (i - 1),
            "line " + i + ": " + "result text with some output from the tool run. ".repeat(12), false)));
      }
      b.message(Message.assistant(new ContentBlock.Text("Looking at step " + i + " of the investigation now."),
          new ContentBlock.ToolUse(id, "read", new JsonObject().put("path", "src/main/java/Parser" + i + ".java").put("limit", 200))));
    }
    return b.build();
  }

  @Benchmark
  public ModelResponse anthropic() {
    AnthropicCodec.encode(turn).toBuffer();
    return AnthropicCodec.decode(anthropicReply);
  }

  @Benchmark
  public ModelResponse anthropicStream() {
    AnthropicCodec.encode(turn.withStream(true)).toBuffer();
    return decode(new AnthropicStreamDecoder(), anthropicStream);
  }

  @Benchmark
  public ModelResponse openaiChat() {
    ModelRequest request = turn.withModel("gpt-5.2");
    ChatCodec.encode(request, ChatOptions.OPENAI).toBuffer();
    return ChatCodec.decode(request, chatReply);
  }

  @Benchmark
  public ModelResponse openaiChatStream() {
    ChatCodec.encode(turn.withStream(true), ChatOptions.OPENAI).toBuffer();
    return decode(new ChatStreamDecoder(), chatStream);
  }

  /**
   * A text reply's stream alone, without encoding a request: the decoding a translated Chat stream
   * costs per call, most of whose chunks are text deltas.
   */
  @Benchmark
  public ModelResponse openaiChatTextStream() {
    return decode(new ChatStreamDecoder(), chatTextStream);
  }

  @Benchmark
  public ModelResponse openaiResponses() {
    ResponsesCodec.encode(turn.withModel("gpt-5.2")).toBuffer();
    return ResponsesCodec.decode(responsesReply);
  }

  @Benchmark
  public ModelResponse openaiResponsesStream() {
    ResponsesCodec.encode(turn.withStream(true)).toBuffer();
    return decode(new ResponsesStreamDecoder(), responsesStream);
  }

  /** vLLM dialect, decoding a reply whose think and tool-call markup the server left in the text. */
  @Benchmark
  public ModelResponse qwenVllm() {
    ModelRequest request = turn.withModel("Qwen/Qwen3-8B");
    CompatCodec.encode(request, Dialect.VLLM).toBuffer();
    return CompatCodec.decode(request, qwenReply);
  }

  /** The stream in 64-byte reads, as a socket would deliver it. */
  private static ModelResponse decode(StreamDecoder decoder, Buffer bytes) {
    StreamAccumulator acc = new StreamAccumulator();
    for (int pos = 0; pos < bytes.length(); pos += 64) {
      decoder.feed(bytes.getBuffer(pos, Math.min(bytes.length(), pos + 64)), acc::accept);
    }
    decoder.end(acc::accept);
    return acc.result();
  }

  public static void main(String[] args) throws RunnerException {
    new Runner(new OptionsBuilder().include(AdapterCodecBench.class.getSimpleName()).build()).run();
  }
}
