package dev.junction.provider.openai;

import dev.junction.provider.ProviderConfig;
import dev.junction.provider.ProviderException;
import dev.junction.provider.http.WireProtocol;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What Chat Completions and Responses share as two endpoints of one OpenAI API: its error replies,
 * its model list as the readiness probe and its Bearer key. The subclasses differ only in how they
 * encode a request and decode its reply.
 */
abstract class OpenAiProtocol implements WireProtocol {
  final ProviderConfig config;
  private final Clock clock;

  /** @param clock what a {@code retry-after} given as a date is measured against */
  OpenAiProtocol(ProviderConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  public final ProviderException classify(int status, Function<String, String> headers, Buffer body) {
    return OpenAiErrors.classify(status, headers, body, clock);
  }

  @Override
  public final List<String> probePaths() {
    return List.of("/v1/models");
  }

  @Override
  public final Map<String, String> probeHeaders() {
    return OpenAiHeaders.auth(config);
  }
}
