package dev.junction.routing;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where {@code requested} sends a model: {@code claude-*} to the Anthropic provider,
 * {@code gpt-*}, {@code o1*}, {@code o3*}, {@code o4*} to the OpenAI one, {@code qwen*} to the
 * local one. Each field is a configured provider name, or null when none is configured.
 */
public record NativeProviders(String anthropic, String openai, String local) {
  public static final NativeProviders NONE = new NativeProviders(null, null, null);
  private static final int MAX_REQUESTED = 4096;
  /** {@link #requested} targets by provider and model. */
  private static final Map<String, Map<String, Target>> REQUESTED = new ConcurrentHashMap<>();

  /**
   * Picks by convention among configured names: {@code anthropic}, then a name starting with
   * {@code anthropic} or containing {@code claude}; {@code openai}, then a name starting with
   * {@code openai}; {@code local-qwen}, then a name containing {@code qwen}, {@code local},
   * {@code ollama}, {@code vllm} or {@code llama}. Explicit names (non-null) win.
   */
  public static NativeProviders resolve(Set<String> providerNames, String anthropic, String openai, String local) {
    return new NativeProviders(
        anthropic != null ? anthropic : pick(providerNames, "anthropic", "anthropic", "claude"),
        openai != null ? openai : pick(providerNames, "openai", "openai"),
        local != null ? local : pick(providerNames, "local-qwen", "qwen", "local", "ollama", "vllm", "llama"));
  }

  private static String pick(Set<String> names, String exact, String... fragments) {
    if (names.contains(exact)) {
      return exact;
    }
    for (String fragment : fragments) {
      for (String name : names.stream().sorted().toList()) {
        if (name.toLowerCase(Locale.ROOT).contains(fragment)) {
          return name;
        }
      }
    }
    return null;
  }

  /** The provider that natively serves {@code model}, or null (unknown family, provider not configured). */
  public String providerFor(String model) {
    if (model == null) {
      return null;
    }
    String m = model.toLowerCase(Locale.ROOT);
    if (m.startsWith("claude-")) {
      return anthropic;
    }
    if (m.startsWith("gpt-") || m.startsWith("o1") || m.startsWith("o3") || m.startsWith("o4")
        || m.startsWith("chatgpt-")) {
      return openai;
    }
    if (m.startsWith("qwen")) {
      return local;
    }
    return null;
  }

  /**
   * The caller's model at its native provider, or null. The same instance for the same model while
   * it is among the last few thousand asked for: breakers, statistics and metrics look a target up
   * by its id, and a new id string per call is hashed anew in each of those maps.
   */
  public Target requested(String model) {
    String provider = providerFor(model);
    if (provider == null) {
      return null;
    }
    Map<String, Target> byModel = REQUESTED.computeIfAbsent(provider, p -> new ConcurrentHashMap<>());
    Target target = byModel.get(model);
    if (target == null) {
      if (byModel.size() >= MAX_REQUESTED) {
        byModel.clear(); // callers choose model ids: keep the cache bounded whatever they send
      }
      target = new Target(Route.REQUESTED, provider, model, null);
      byModel.put(model, target);
    }
    return target;
  }
}
