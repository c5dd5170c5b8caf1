package dev.junction.harness;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The folds of sessions whose runner retired. A runner retires after every activation, so without
 * this each activation would read and fold the session's whole log again; with it, the next runner
 * takes the fold and reads only the events committed after it. A fold is a prefix of the log, so a
 * stale or missing one costs a longer read, never a wrong decision. Bounded by the events folded.
 */
final class FoldCache {
  private final Cache<String, Conversation.Fold> folds;

  /** @param maxEvents how many folded events all kept folds may hold together */
  FoldCache(long maxEvents) {
    this.folds = Caffeine.newBuilder().maximumWeight(maxEvents)
        .weigher((String id, Conversation.Fold f) -> Math.max(1, f.size())).build();
  }

  /** Removes and returns the session's kept fold, or null: a fold has one owner at a time. */
  Conversation.Fold take(String sessionId) {
    return folds.asMap().remove(sessionId);
  }

  void keep(String sessionId, Conversation.Fold fold) {
    folds.put(sessionId, fold);
  }
}
