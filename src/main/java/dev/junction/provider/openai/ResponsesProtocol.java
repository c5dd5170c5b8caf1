package dev.junction.provider.openai;

import dev.junction.provider.CallOptions;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.ProviderConfig;
import dev.junction.provider.http.WireRequest;
import dev.junction.provider.wire.StreamDecoder;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;

/** The OpenAI Responses API over HTTP: {@code POST /v1/responses}, stateless ({@code store:false}). */
public final class ResponsesProtocol extends OpenAiProtocol {
  public ResponsesProtocol(ProviderConfig config, Clock clock) {
    super(config, clock);
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
}
