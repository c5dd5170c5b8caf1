package dev.junction.routing;

/** How one attempt ended. */
public enum AttemptResult {
  /** It answered (for a stream: it committed). */
  SUCCEEDED,
  /** It failed with a failure class. */
  FAILED,
  /** It was stopped: it lost a hedge, or the caller left. Never counted against the target. */
  CANCELLED,
  /** Its breaker refused the call (half-open probes taken, or opened since planning); nothing was sent. */
  REJECTED
}
