package dev.junction.provider.openai;

import dev.junction.provider.CallOptions;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.ProviderConfig;
import dev.junction.provider.ProviderException;
import dev.junction.provider.http.WireProtocol;
import dev.junction.provider.http.WireRequest;
import dev.junction.provider.wire.StreamDecoder;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The OpenAI Responses API over HTTP: {@code POST /v1/responses}, stateless ({@code store:false}). */
public final class ResponsesProtocol implements WireProtocol {
  private final ProviderConfig config;
  private final Clock clock;

  public ResponsesProtocol(ProviderConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  public WireRequest encode(ModelRequest request, CallOptions options) {
    return new WireRequest("/v1/responses", OpenAiHeaders.forCall(config, options, request.stream()),
        ResponsesCodec.encode(request).toBuffer());
  }

  @Override
  public ModelResponse decode(ModelRequest request, Buffer body) {
    return ResponsesCodec.decode(body);
  }

  @Override
  public StreamDecoder streamDecoder(ModelRequest request) {
    return new ResponsesStreamDecoder();
  }

  @Override
  public ProviderException classify(int status, Function<String, String> headers, Buffer body) {
    return OpenAiErrors.classify(status, headers, body, clock);
  }

  @Override
  public List<String> probePaths() {
    return List.of("/v1/models");
  }

  @Override
  public Map<String, String> probeHeaders() {
    return OpenAiHeaders.auth(config);
  }
}
