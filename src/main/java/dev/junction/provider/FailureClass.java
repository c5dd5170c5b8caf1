package dev.junction.provider;

/**
 * Why a provider call failed. Every decision downstream (retry here, fail over, count against the
 * breaker, cool down) switches over this enum without a {@code default}, so adding a class forces
 * every decision to be revisited.
 */
public enum FailureClass {
  /** 4xx the caller caused (bad request, unknown model, context too long): no retry, no breaker. */
  CALLER_FAULT,
  /** 401/403: the key is wrong or lacks access. */
  AUTH,
  /** 429 that will pass: cool down for {@code retry-after}. */
  RATE_LIMITED,
  /** Quota or spend limit exhausted: a long cooldown, never retried. */
  QUOTA,
  /** 529/503: the provider is shedding load. */
  OVERLOADED,
  /** Other 5xx, and error events the provider sends mid-stream. */
  SERVER,
  /** Connect, time to first token, idle between chunks or total time ran out. */
  TIMEOUT,
  /** Connection refused, reset or closed early. */
  NETWORK,
  /** Unparseable reply, invalid tool-call JSON or an empty reply. */
  MALFORMED,
  /** The caller went away; never counted against a provider. */
  CANCELLED;

  /** Whether the same call may be tried again (here or elsewhere) after this failure. */
  public boolean retryable() {
    return switch (this) {
      case RATE_LIMITED, OVERLOADED, SERVER, TIMEOUT, NETWORK, MALFORMED -> true;
      case CALLER_FAULT, AUTH, QUOTA, CANCELLED -> false;
    };
  }
}
