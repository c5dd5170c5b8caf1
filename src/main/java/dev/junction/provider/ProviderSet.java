package dev.junction.provider;

import java.util.List;
import java.util.Map;

/**
 * The providers configuration yields: the usable ones, and the ones left out with the reason
 * (typically an {@code env:NAME} key whose variable is not set), so startup can log them.
 */
public record ProviderSet(List<ProviderConfig> providers, Map<String, String> disabled) {
  public ProviderSet {
    providers = List.copyOf(providers);
    disabled = Map.copyOf(disabled);
  }

  public ProviderConfig find(String name) {
    for (ProviderConfig provider : providers) {
      if (provider.name().equals(name)) {
        return provider;
      }
    }
    return null;
  }
}
