package dev.junction.testing;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock and a nanosecond ticker that move only when a test says so; both read the same time,
 * so breakers, cooldowns and latencies agree. Thread-safe.
 */
public final class FakeTime extends Clock implements Ticker {
  private final AtomicLong nanos;
  private final long epochNanos;

  public FakeTime() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public FakeTime(Instant start) {
    this.epochNanos = start.getEpochSecond() * 1_000_000_000L + start.getNano();
    this.nanos = new AtomicLong();
  }

  public FakeTime advance(Duration by) {
    nanos.addAndGet(by.toNanos());
    return this;
  }

  public FakeTime advanceMillis(long millis) {
    return advance(Duration.ofMillis(millis));
  }

  @Override
  public long read() {
    return nanos.get();
  }

  @Override
  public Instant instant() {
    long total = epochNanos + nanos.get();
    return Instant.ofEpochSecond(Math.floorDiv(total, 1_000_000_000L), Math.floorMod(total, 1_000_000_000L));
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
    return this; // tests only read instants
  }
}
