package dev.junction.provider.openaicompat;

import dev.junction.provider.CallOptions;
import dev.junction.provider.Dialect;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.ProviderConfig;
import dev.junction.provider.ProviderException;
import dev.junction.provider.http.WireProtocol;
import dev.junction.provider.http.WireRequest;
import dev.junction.provider.openai.ChatStreamDecoder;
import dev.junction.provider.openai.OpenAiErrors;
import dev.junction.provider.openai.OpenAiHeaders;
import dev.junction.provider.wire.StreamDecoder;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A local OpenAI-compatible server. Readiness: vLLM, SGLang and llama.cpp answer {@code /health}
 * (llama.cpp says 503 while the model loads), then {@code /v1/models} lists the served names;
 * Ollama has no health route on {@code /v1}, so {@code /v1/models} alone (or {@code /api/tags}
 * for the native protocol) decides.
 */
public final class CompatProtocol implements WireProtocol {
  private final ProviderConfig config;
  private final Dialect dialect;
  private final Clock clock;

  public CompatProtocol(ProviderConfig config, Clock clock) {
    this.config = config;
    this.dialect = config.dialect();
    this.clock = clock;
  }

  @Override
  public WireRequest encode(ModelRequest request, CallOptions options) {
    Map<String, String> headers = OpenAiHeaders.forCall(config, options, request.stream());
    if (dialect == Dialect.OLLAMA_NATIVE) {
      return new WireRequest("/api/chat", headers, OllamaNativeCodec.encode(request).toBuffer());
    }
    return new WireRequest("/v1/chat/completions", headers, CompatCodec.encode(request, dialect).toBuffer());
  }

  @Override
  public ModelResponse decode(ModelRequest request, Buffer body) {
    return dialect == Dialect.OLLAMA_NATIVE
        ? OllamaNativeCodec.decode(request, body) : CompatCodec.decode(request, body);
  }

  @Override
  public StreamDecoder streamDecoder(ModelRequest request) {
    if (dialect == Dialect.OLLAMA_NATIVE) {
      return new OllamaNativeStreamDecoder(request);
    }
    TaggedTextHandler markup =
        new TaggedTextHandler(CompatCodec.toolNames(request.tools()), CompatCodec.idSeed(request));
    return new ChatStreamDecoder(markup);
  }

  @Override
  public ProviderException classify(int status, Function<String, String> headers, Buffer body) {
    return OpenAiErrors.classify(status, headers, body, clock);
  }

  @Override
  public List<String> probePaths() {
    return switch (dialect) {
      case VLLM, SGLANG, LLAMACPP -> List.of("/health", "/v1/models");
      case OLLAMA -> List.of("/v1/models");
      case OLLAMA_NATIVE -> List.of("/api/tags");
    };
  }

  @Override
  public Map<String, String> probeHeaders() {
    return OpenAiHeaders.auth(config);
  }
}
