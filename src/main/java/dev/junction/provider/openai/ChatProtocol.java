package dev.junction.provider.openai;

import dev.junction.provider.CallOptions;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.ProviderConfig;
import dev.junction.provider.ProviderKind;
import dev.junction.provider.http.WireRequest;
import dev.junction.provider.wire.SseRelay;
import dev.junction.provider.wire.StreamDecoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * OpenAI Chat Completions over HTTP: {@code POST /v1/chat/completions} with a Bearer key. A
 * model-proxy caller's own Chat body ({@link dev.junction.provider.CallerBody}) is relayed with only
 * model, stream and {@code stream_options.include_usage} set.
 */
public final class ChatProtocol extends OpenAiProtocol {
  /** The headers of every call without per-call ones, built once: non-streaming, streaming. */
  private final Map<String, String> replyHeaders;
  private final Map<String, String> streamHeaders;

  public ChatProtocol(ProviderConfig config, Clock clock) {
    super(config, clock);
    this.replyHeaders = Map.copyOf(OpenAiHeaders.forCall(config, CallOptions.DEFAULT, false));
    this.streamHeaders = Map.copyOf(OpenAiHeaders.forCall(config, CallOptions.DEFAULT, true));
  }

  @Override
  public WireRequest encode(ModelRequest request, CallOptions options) {
    // a relayed stream must report usage (metrics and cost need it) whether or not its caller asked
    Buffer relayed = options.callerBody() == null ? null
        : options.callerBody().bytesFor(ProviderKind.OPENAI, request, Set.of(), true);
    Buffer body = relayed != null ? relayed : ChatCodec.encode(request, ChatOptions.OPENAI).toBuffer();
    Map<String, String> headers = options.headers().isEmpty() ? request.stream() ? streamHeaders : replyHeaders
        : OpenAiHeaders.forCall(config, options, request.stream());
    return new WireRequest("/v1/chat/completions", headers, body);
  }

  @Override
  public ModelResponse decode(ModelRequest request, Buffer body) {
    return ChatCodec.decode(request, body);
  }

  @Override
  public StreamDecoder streamDecoder(ModelRequest request) {
    return new ChatStreamDecoder();
  }

  @Override
  public boolean relaysReply(CallOptions options) {
    return options.callerBody() != null && options.callerBody().protocol() == ProviderKind.OPENAI;
  }

  @Override
  public StreamDecoder relayDecoder(ModelRequest request, CallOptions options) {
    if (!relaysReply(options)) {
      return null;
    }
    Object streamOptions = options.callerBody().json().getValue("stream_options");
    boolean callerWantsUsage = streamOptions instanceof JsonObject o && Boolean.TRUE.equals(o.getValue("include_usage"));
    return new SseRelay(new ChatRelay(callerWantsUsage));
  }
}
