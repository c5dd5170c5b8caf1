package dev.junction.provider;

import java.math.BigDecimal;
import java.util.Objects;

/** What a call cost, in USD with micro-dollar scale; {@code known} is false when no price was configured. */
public record Cost(BigDecimal usd, boolean known) {
  public static final Cost UNKNOWN = new Cost(BigDecimal.ZERO.setScale(6), false);

  public Cost {
    Objects.requireNonNull(usd, "usd");
  }

  public Cost(BigDecimal usd) {
    this(usd, true);
  }

  public long microUsd() {
    return usd.movePointRight(6).longValueExact();
  }
}
