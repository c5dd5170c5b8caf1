package dev.junction.store;

/**
 * Inclusive epoch-millisecond bounds; exclusive bounds are normalised by the caller (gt x == gte x+1).
 *
 * @param fromMillis lower bound, inclusive, or {@code Long.MIN_VALUE}
 * @param toMillis   upper bound, inclusive, or {@code Long.MAX_VALUE}
 */
public record TimeRange(long fromMillis, long toMillis) {
  public static final TimeRange ALL = new TimeRange(Long.MIN_VALUE, Long.MAX_VALUE);
}
