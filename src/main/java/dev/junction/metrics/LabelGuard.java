package dev.junction.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps one label's values bounded: the first {@code max} distinct values pass, later new ones
 * read {@code other}. Routing can see caller-chosen model ids (a {@code requested} target), and a
 * label set that grows with input is a memory leak in every scraper.
 */
final class LabelGuard {
  static final String OTHER = "other";
  private final int max;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  LabelGuard(int max) {
    this.max = max;
  }

  String value(String raw) {
    if (raw == null || raw.isEmpty()) {
      return "none";
    }
    if (seen.contains(raw)) {
      return raw;
    }
    synchronized (this) {
      if (seen.size() < max) {
        seen.add(raw);
        return raw;
      }
    }
    return OTHER;
  }
}
