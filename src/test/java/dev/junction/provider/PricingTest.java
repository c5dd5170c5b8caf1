package dev.junction.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PricingTest {

  @Test
  void anthropicCostChargesEachTokenKindAtItsPrice() {
    // Sonnet 4.6: 3 in, 15 out, 0.30 cache read, 3.75 cache write per million
    Cost cost = DefaultPrices.anthropic().cost("claude-sonnet-4-6", new Usage(512, 118, 1024, 2000));
    // 512*3 + 118*15 + 1024*0.30 + 2000*3.75 = 1536 + 1770 + 307.2 + 7500 = 11113.2 micro-dollars
    assertEquals(new BigDecimal("0.011113"), cost.usd());
    assertEquals(11113, cost.microUsd());
  }

  @Test
  void openAiCachedTokensAreBilledAtTheCachedRateAfterTheInclusiveCountIsSplit() {
    Usage usage = Usage.fromInclusive(10_000, 8_000, 0, 500);
    assertEquals(new Usage(2_000, 500, 8_000, 0), usage);
    // gpt-5.2: 1.75 in, 0.175 cached, 14 out: 2000*1.75 + 8000*0.175 + 500*14 = 3500 + 1400 + 7000
    assertEquals(11_900, DefaultPrices.openai().cost("gpt-5.2-2025-12-11", usage).microUsd());
  }

  @Test
  void datedModelIdsFindTheirAliasAndTheLongestAliasWins() {
    PriceTable table = DefaultPrices.openai();
    assertEquals(table.find("gpt-5.4-mini"), table.find("gpt-5.4-mini-2026-03-01"));
    assertEquals(new BigDecimal("0.75"), table.find("gpt-5.4-mini-2026-03-01").input());
    assertEquals(new BigDecimal("2.50"), table.find("gpt-5.4").input());
    assertNull(table.find("gpt-5.45"));
  }

  @Test
  void unknownModelsHaveAnUnknownCostAndOverridesReplaceDefaults() {
    assertFalse(PriceTable.EMPTY.cost("qwen3-32b", new Usage(100, 100, 0, 0)).known());
    PriceTable table = DefaultPrices.anthropic().with(Map.of("claude-sonnet-4-6", Pricing.of("1", "2", "0", "0")));
    assertEquals(300, table.cost("claude-sonnet-4-6", new Usage(100, 100, 0, 0)).microUsd());
  }

  @Test
  void overcountedCacheIsClampedRatherThanNegative() {
    assertEquals(new Usage(0, 3, 12, 0), Usage.fromInclusive(10, 12, 0, 3));
  }
}
