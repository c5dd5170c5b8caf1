package dev.junction.bench;

import dev.junction.provider.CallOptions;
import dev.junction.provider.CallerBody;
import dev.junction.provider.CanonicalJson;
import dev.junction.provider.JsonMembers;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ProviderClients;
import dev.junction.provider.ProviderConfig;
import dev.junction.provider.ProviderKind;
import dev.junction.provider.http.WireProtocol;
import dev.junction.provider.anthropic.AnthropicCodec;
import dev.junction.provider.anthropic.AnthropicStreamDecoder;
import dev.junction.provider.wire.SseDecoder;
import dev.junction.provider.wire.StreamDecoder;
import dev.junction.testing.Fixtures;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Set;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The same-protocol proxy path (Anthropic caller, Anthropic target), gateway-side work only, on a
 * 20-message agent turn (~30 KB) and the fixture replies: the canonical round trip against the
 * relays that are built for requests and streams, and against what a byte relay of replies would
 * still have to do (parse for usage). docs/architecture.md records the figures and the decisions
 * they support.
 *
 * <p>Run: {@code mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt
 * -Dmdep.includeScope=test} then {@code java -cp target/test-classes:target/classes:$(cat cp.txt)
 * org.openjdk.jmh.Main ProxyPathBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProxyPathBench {
  private Buffer request;
  private Buffer reply;
  private Buffer stream;

  private WireProtocol protocol;
  private ModelRequest streamRequest;
  private CallOptions relayOptions;

  @Setup
  public void setUp() {
    request = CanonicalJson.encodeRequest(AdapterCodecBench.twentyMessageTurn()).toBuffer();
    protocol = ProviderClients.protocol(ProviderConfig.of("bench", ProviderKind.ANTHROPIC, "http://127.0.0.1:1", "k"),
        java.time.Clock.systemUTC());
    streamRequest = AdapterCodecBench.twentyMessageTurn().withStream(true);
    relayOptions = CallOptions.DEFAULT.withCallerBody(new CallerBody(ProviderKind.ANTHROPIC, new JsonObject(request)));
    reply = Fixtures.bytes("anthropic/message_tool_use.json");
    stream = Fixtures.bytes("anthropic/stream_tool_use.sse");
  }

  /** Today: parse, read into canonical, encode for the target. */
  @Benchmark
  public Buffer canonicalRequest() {
    ModelRequest canonical = CanonicalJson.decodeRequest((JsonObject) Json.decodeValue(request));
    return AnthropicCodec.encode(canonical.withModel("claude-sonnet-4-6"), "2023-06-01").toBuffer();
  }

  /**
   * The relay before the bytes were kept: parse, read into canonical, then encode a copy of the
   * caller's body with the model set.
   */
  @Benchmark
  public Buffer relayRequestEncoded() {
    JsonObject json = (JsonObject) Json.decodeValue(request);
    ModelRequest canonical = CanonicalJson.decodeRequest(json).withModel("claude-sonnet-4-6");
    return new CallerBody(ProviderKind.ANTHROPIC, json).forAttempt(ProviderKind.ANTHROPIC, canonical).toBuffer();
  }

  /**
   * As built: parse once, keeping where the top-level members are (JsonMembers), read into canonical
   * (validation, routing attributes, and the request a failover to another protocol would
   * translate), then the caller's bytes with the model cut in.
   */
  @Benchmark
  public Buffer relayRequest() {
    JsonMembers members = JsonMembers.parse(request);
    ModelRequest canonical = CanonicalJson.decodeRequest(members.json()).withModel("claude-sonnet-4-6");
    return CallerBody.of(ProviderKind.ANTHROPIC, members).bytesFor(ProviderKind.ANTHROPIC, canonical, Set.of(), false);
  }

  /** The floor: parse, set the model, write back; no canonical form at all. */
  @Benchmark
  public Buffer bareRequest() {
    return ((JsonObject) Json.decodeValue(request)).put("model", "claude-sonnet-4-6").toBuffer();
  }

  @Benchmark
  public Buffer canonicalReply() {
    return CanonicalJson.encodeResponse(AnthropicCodec.decode(reply)).toBuffer();
  }

  /** A relay still parses the reply once, for usage and cost. */
  @Benchmark
  public Object relayReply() {
    return ((JsonObject) Json.decodeValue(reply)).getJsonObject("usage");
  }

  /** Decode every event and frame it again, as {@code SseFrames.anthropic()} does. */
  @Benchmark
  public void canonicalStream(Blackhole bh) {
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder();
    decoder.feed(stream, event -> {
      JsonObject data = CanonicalJson.encodeEvent(event);
      bh.consume(Buffer.buffer().appendString("event: ").appendString(CanonicalJson.eventName(event))
          .appendString("\ndata: ").appendBuffer(data.toBuffer()).appendString("\n\n"));
    });
  }

  /** The floor of a relay that parses every event to see usage and the end of the stream. */
  @Benchmark
  public void parseEveryEvent(Blackhole bh) {
    new SseDecoder().feed(stream, event -> bh.consume(new JsonObject(event.data())));
  }

  /**
   * As built: the relay decoder of an Anthropic target for an Anthropic caller, which splits the
   * frames, relays their bytes and decodes only the ones the gateway needs.
   */
  @Benchmark
  public void relayStream(Blackhole bh) {
    StreamDecoder relay = protocol.relayDecoder(streamRequest, relayOptions);
    relay.feed(stream, bh::consume);
    relay.end(bh::consume);
  }
}
