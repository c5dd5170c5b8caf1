package dev.junction.provider;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Objects;

/**
 * The body a model-proxy caller sent, in its own wire protocol. An adapter speaking the same
 * protocol sends it on as-is, with only {@code model} and the stream flag set for the attempt,
 * rather than re-encoding the canonical request: fields the canonical form does not model
 * ({@code context_management}, {@code service_tier}, {@code response_format}, {@code seed}, ...)
 * reach the upstream, and the encode step is skipped. Adapters of other protocols ignore it and
 * encode the canonical request, so failover to another provider still works.
 *
 * @param protocol {@link ProviderKind#ANTHROPIC} or {@link ProviderKind#OPENAI} (Chat Completions)
 * @param json the parsed body; never modified
 */
public record CallerBody(ProviderKind protocol, JsonObject json) {
  public CallerBody {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(json, "json");
  }

  /**
   * The body to send for {@code request} to an upstream speaking {@code kind}, or null when the
   * caller spoke another protocol. A shallow copy: only top-level keys change.
   */
  public JsonObject forAttempt(ProviderKind kind, ModelRequest request) {
    if (kind != protocol) {
      return null;
    }
    JsonObject out = new JsonObject(new LinkedHashMap<>(json.getMap())).put("model", request.model());
    if (request.stream()) {
      out.put("stream", true);
    } else {
      out.remove("stream");
      out.remove("stream_options");
    }
    return out;
  }
}
