package dev.junction.provider;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Published list prices (USD per million tokens) used when configuration names none. They date
 * from the contract in {@code upstreams.md} §7.3; configuration overrides them, and local models
 * cost nothing.
 */
public final class DefaultPrices {
  private DefaultPrices() {
  }

  public static PriceTable anthropic() {
    Map<String, Pricing> p = new LinkedHashMap<>();
    Pricing opus = Pricing.of("5", "25", "0.50", "6.25");
    for (String id : new String[] {"claude-opus-4-5", "claude-opus-4-6", "claude-opus-4-7", "claude-opus-4-8",
        "claude-opus-5"}) {
      p.put(id, opus);
    }
    Pricing opusOld = Pricing.of("15", "75", "1.50", "18.75");
    p.put("claude-opus-4", opusOld);
    p.put("claude-opus-4-1", opusOld);
    Pricing sonnet = Pricing.of("3", "15", "0.30", "3.75");
    for (String id : new String[] {"claude-sonnet-4", "claude-sonnet-4-5", "claude-sonnet-4-6"}) {
      p.put(id, sonnet);
    }
    p.put("claude-haiku-4-5", Pricing.of("1", "5", "0.10", "1.25"));
    p.put("claude-opus-5-5", Pricing.of("4", "20", "0.20", "5"));
    p.put("claude-sonnet-5", Pricing.of("2", "10", "0.20", "2.50"));
    p.put("claude-sonnet-5-5", Pricing.of("2", "10", "0.10", "2.50"));
    return new PriceTable(p);
  }

  public static PriceTable openai() {
    Map<String, Pricing> p = new LinkedHashMap<>();
    put(p, "gpt-5", "1.25", "0.125", "10");
    put(p, "gpt-5.1", "1.25", "0.125", "10");
    put(p, "gpt-5-mini", "0.25", "0.025", "2");
    put(p, "gpt-5-nano", "0.05", "0.005", "0.40");
    put(p, "gpt-5.2", "1.75", "0.175", "14");
    put(p, "gpt-5.4", "2.50", "0.25", "15");
    put(p, "gpt-5.4-mini", "0.75", "0.075", "4.50");
    put(p, "gpt-5.4-nano", "0.20", "0.02", "1.25");
    put(p, "gpt-5.5", "5", "0.50", "30");
    // no cached-input price is published for the pro models: cached tokens bill as input
    put(p, "gpt-5.4-pro", "30", "30", "180");
    put(p, "gpt-5.5-pro", "30", "30", "180");
    put(p, "gpt-5.2-pro", "21", "21", "168");
    return new PriceTable(p);
  }

  public static PriceTable forKind(ProviderKind kind) {
    return switch (kind) {
      case ANTHROPIC -> anthropic();
      case OPENAI, OPENAI_RESPONSES -> openai();
      case OPENAI_COMPATIBLE -> PriceTable.EMPTY;
    };
  }

  private static void put(Map<String, Pricing> p, String model, String input, String cached, String output) {
    p.put(model, Pricing.of(input, output, cached, input));
  }
}
