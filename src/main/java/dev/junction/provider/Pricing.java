package dev.junction.provider;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * A model's prices in USD per million tokens. {@code cacheWrite} is the 5-minute write price;
 * for OpenAI it equals {@code input}, since OpenAI does not charge extra for cache writes.
 */
public record Pricing(BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheWrite) {
  public static final Pricing FREE = new Pricing(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  public Pricing {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(cacheRead, "cacheRead");
    Objects.requireNonNull(cacheWrite, "cacheWrite");
  }

  public static Pricing of(String input, String output, String cacheRead, String cacheWrite) {
    return new Pricing(new BigDecimal(input), new BigDecimal(output), new BigDecimal(cacheRead),
        new BigDecimal(cacheWrite));
  }

  /** The cost of one call's usage, exact to the micro-dollar (rounded half-up). */
  public Cost cost(Usage usage) {
    BigDecimal total = input.multiply(BigDecimal.valueOf(usage.inputTokens()))
        .add(output.multiply(BigDecimal.valueOf(usage.outputTokens())))
        .add(cacheRead.multiply(BigDecimal.valueOf(usage.cacheReadTokens())))
        .add(cacheWrite.multiply(BigDecimal.valueOf(usage.cacheWriteTokens())));
    return new Cost(total.divide(MILLION, 6, RoundingMode.HALF_UP));
  }
}
