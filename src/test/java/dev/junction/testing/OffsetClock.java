package dev.junction.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system clock plus an offset a test moves forward: a gateway driven by it keeps real time for
 * what must run (timestamps, ids) while breakers and cooldowns see minutes pass at once. Thread-safe.
 */
public final class OffsetClock extends Clock {
  private final Clock base = Clock.systemUTC();
  private final AtomicLong offsetNanos = new AtomicLong();

  public OffsetClock advance(Duration by) {
    offsetNanos.addAndGet(by.toNanos());
    return this;
  }

  @Override
  public Instant instant() {
    return base.instant().plusNanos(offsetNanos.get());
  }

  @Override
  public long millis() {
    return instant().toEpochMilli();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this; // the gateway reads instants only
  }
}
