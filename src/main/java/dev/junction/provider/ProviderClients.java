package dev.junction.provider;

import dev.junction.provider.anthropic.AnthropicProtocol;
import dev.junction.provider.http.HttpProviderClient;
import dev.junction.provider.http.WireProtocol;
import dev.junction.provider.openai.ChatProtocol;
import dev.junction.provider.openai.ResponsesProtocol;
import dev.junction.provider.openaicompat.CompatProtocol;
import io.vertx.core.Vertx;
import java.time.Clock;

/** Builds the client for a configured provider. */
public final class ProviderClients {
  private ProviderClients() {
  }

  /**
   * @param clock read when a {@code retry-after} header is an HTTP date
   */
  public static ProviderClient create(Vertx vertx, ProviderConfig config, Clock clock) {
    return new HttpProviderClient(vertx, config, protocol(config, clock));
  }

  public static WireProtocol protocol(ProviderConfig config, Clock clock) {
    return switch (config.kind()) {
      case ANTHROPIC -> new AnthropicProtocol(config, clock);
      case OPENAI -> new ChatProtocol(config, clock);
      case OPENAI_RESPONSES -> new ResponsesProtocol(config, clock);
      case OPENAI_COMPATIBLE -> new CompatProtocol(config, clock);
    };
  }
}
