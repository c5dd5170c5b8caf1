package dev.junction.provider.anthropic;

import dev.junction.provider.CallOptions;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.ProviderConfig;
import dev.junction.provider.ProviderException;
import dev.junction.provider.ProviderKind;
import dev.junction.provider.http.WireProtocol;
import dev.junction.provider.http.WireRequest;
import dev.junction.provider.wire.SseRelay;
import dev.junction.provider.wire.StreamDecoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Anthropic Messages over HTTP: {@code POST /v1/messages} with {@code x-api-key} and a configurable
 * {@code anthropic-version}. Configured headers and per-call headers (e.g. {@code anthropic-beta}
 * from a client) pass through; per-call ones win. A model-proxy caller's own Messages body
 * ({@link dev.junction.provider.CallerBody}) is relayed with only model and stream set.
 */
public final class AnthropicProtocol implements WireProtocol {
  private final ProviderConfig config;
  private final Clock clock;
  /** Top-level members of a caller's body that the configured {@code anthropic-version} refuses. */
  private final Set<String> refused;

  /** The headers of every call without per-call ones, built once: non-streaming, streaming. */
  private final Map<String, String> replyHeaders;
  private final Map<String, String> streamHeaders;

  public AnthropicProtocol(ProviderConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.refused = AnthropicCodec.refusedMembers(config.anthropicVersion());
    this.replyHeaders = Map.copyOf(headers(false, Map.of()));
    this.streamHeaders = Map.copyOf(headers(true, Map.of()));
  }

  private Map<String, String> headers(boolean stream, Map<String, String> perCall) {
    Map<String, String> headers = new LinkedHashMap<>(probeHeaders());
    headers.put("content-type", "application/json");
    headers.put("accept", stream ? "text/event-stream" : "application/json");
    headers.putAll(config.headers());
    headers.putAll(perCall);
    return headers;
  }

  @Override
  public WireRequest encode(ModelRequest request, CallOptions options) {
    Map<String, String> headers = options.headers().isEmpty()
        ? request.stream() ? streamHeaders : replyHeaders
        : headers(request.stream(), options.headers());
    Buffer relayed = options.callerBody() == null ? null
        : options.callerBody().bytesFor(ProviderKind.ANTHROPIC, request, refused, false);
    Buffer body = relayed != null ? relayed : AnthropicCodec.encode(request, config.anthropicVersion()).toBuffer();
    return new WireRequest("/v1/messages", headers, body);
  }

  /** {@code /v1/messages/count_tokens} takes the Messages body without {@code max_tokens} and {@code stream}. */
  @Override
  public WireRequest encodeCountTokens(ModelRequest request, CallOptions options) {
    WireRequest messages = encode(request.withStream(false), options);
    JsonObject body = new JsonObject(messages.body());
    body.remove("max_tokens");
    body.remove("stream");
    Map<String, String> headers = new LinkedHashMap<>(messages.headers());
    headers.put("accept", "application/json");
    return new WireRequest("/v1/messages/count_tokens", headers, body.toBuffer());
  }

  @Override
  public ModelResponse decode(ModelRequest request, Buffer body) {
    return AnthropicCodec.decode(body);
  }

  @Override
  public StreamDecoder streamDecoder(ModelRequest request) {
    return new AnthropicStreamDecoder();
  }

  @Override
  public boolean relaysReply(CallOptions options) {
    return options.callerBody() != null && options.callerBody().protocol() == ProviderKind.ANTHROPIC;
  }

  @Override
  public StreamDecoder relayDecoder(ModelRequest request, CallOptions options) {
    return relaysReply(options) ? new SseRelay(new AnthropicRelay(request.model())) : null;
  }

  @Override
  public ProviderException classify(int status, Function<String, String> headers, Buffer body) {
    return AnthropicErrors.classify(status, headers, body, clock);
  }

  @Override
  public List<String> probePaths() {
    return List.of("/v1/models");
  }

  @Override
  public Map<String, String> probeHeaders() {
    Map<String, String> headers = new LinkedHashMap<>();
    if (config.apiKey() != null) {
      headers.put("x-api-key", config.apiKey());
    }
    headers.put("anthropic-version", config.anthropicVersion());
    return headers;
  }
}
