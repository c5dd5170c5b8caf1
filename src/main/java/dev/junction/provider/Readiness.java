package dev.junction.provider;

import java.util.List;

/**
 * Whether an endpoint can take calls now, the model ids it serves (when it lists them) and, when
 * not ready, why (e.g. llama.cpp's "Loading model").
 */
public record Readiness(boolean ready, List<String> models, String detail) {
  public Readiness {
    models = models == null ? List.of() : List.copyOf(models);
  }
}
