package dev.junction.provider.openai;

import dev.junction.provider.CallOptions;
import dev.junction.provider.ProviderConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** Request headers for OpenAI-shaped endpoints: Bearer auth, then configured, then per-call headers. */
public final class OpenAiHeaders {
  private OpenAiHeaders() {
  }

  public static Map<String, String> auth(ProviderConfig config) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (config.apiKey() != null && !config.apiKey().isEmpty()) {
      headers.put("authorization", "Bearer " + config.apiKey());
    }
    return headers;
  }

  public static Map<String, String> forCall(ProviderConfig config, CallOptions options, boolean stream) {
    Map<String, String> headers = auth(config);
    headers.put("content-type", "application/json");
    headers.put("accept", stream ? "text/event-stream" : "application/json");
    headers.putAll(config.headers());
    headers.putAll(options.headers());
    return headers;
  }
}
