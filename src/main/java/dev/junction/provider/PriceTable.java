package dev.junction.provider;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prices per model id. A lookup takes the exact id, else the longest configured id that prefixes
 * it at a {@code -} boundary, because providers answer with dated ids ({@code gpt-5.2-2025-12-11})
 * for the alias that was configured ({@code gpt-5.2}).
 */
public record PriceTable(Map<String, Pricing> prices) {
  public static final PriceTable EMPTY = new PriceTable(Map.of());

  public PriceTable {
    prices = Map.copyOf(prices);
  }

  public Pricing find(String model) {
    if (model == null) {
      return null;
    }
    Pricing exact = prices.get(model);
    if (exact != null) {
      return exact;
    }
    String best = null;
    for (String key : prices.keySet()) {
      if (model.length() > key.length() && model.charAt(key.length()) == '-' && model.startsWith(key)
          && (best == null || key.length() > best.length())) {
        best = key;
      }
    }
    return best == null ? null : prices.get(best);
  }

  public Cost cost(String model, Usage usage) {
    Pricing pricing = find(model);
    return pricing == null ? Cost.UNKNOWN : pricing.cost(usage);
  }

  /** These prices with {@code overrides} replacing entries of the same model. */
  public PriceTable with(Map<String, Pricing> overrides) {
    Map<String, Pricing> merged = new LinkedHashMap<>(prices);
    merged.putAll(overrides);
    return new PriceTable(merged);
  }
}
