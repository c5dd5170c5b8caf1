package dev.junction.routing;

import dev.junction.provider.FailureClass;
import dev.junction.provider.ProviderException;
import java.time.Instant;
import java.util.List;

/**
 * No target answered. Carries every attempt, the most telling failure class (what the caller
 * should be told), whether retrying later may help, and when the first target reopens.
 */
public final class AllTargetsFailedException extends RuntimeException {
  private final Routing routing;
  private final FailureClass failureClass;
  private final boolean retryLater;
  private final Instant retryAt;
  private final ProviderException lastFailure;

  /**
   * @param retryAt the earliest instant a skipped or failed target becomes available, or null
   * @param lastFailure the last provider failure (for passing a caller fault's message on), or null
   */
  public AllTargetsFailedException(String message, Routing routing, FailureClass failureClass, Instant retryAt,
      ProviderException lastFailure) {
    super(message, lastFailure, false, false);
    this.routing = routing;
    this.failureClass = failureClass;
    this.retryLater = retryLater(failureClass);
    this.retryAt = retryAt;
    this.lastFailure = lastFailure;
  }

  public Routing routing() {
    return routing;
  }

  public List<Attempt> attempts() {
    return routing.attempts();
  }

  public FailureClass failureClass() {
    return failureClass;
  }

  /** Whether the same call may succeed later (DESIGN.md §5: reschedule, else retries_exhausted). */
  public boolean retryLater() {
    return retryLater;
  }

  public Instant retryAt() {
    return retryAt;
  }

  public ProviderException lastFailure() {
    return lastFailure;
  }

  /** The Managed Agents error type for {@code session.error}. */
  public String maErrorType() {
    return switch (failureClass) {
      case OVERLOADED -> "model_overloaded_error";
      case RATE_LIMITED -> "model_rate_limited_error";
      case CALLER_FAULT, AUTH, QUOTA, SERVER, TIMEOUT, NETWORK, MALFORMED, CANCELLED -> "model_request_failed_error";
    };
  }

  private static boolean retryLater(FailureClass failure) {
    return switch (failure) {
      case RATE_LIMITED, OVERLOADED, SERVER, TIMEOUT, NETWORK, MALFORMED -> true;
      // a bad request stays bad, a wrong key stays wrong, a spent quota outlasts any backoff
      case CALLER_FAULT, AUTH, QUOTA, CANCELLED -> false;
    };
  }

  /**
   * The class to report: the one that ended the run (a caller fault or cancellation), else the
   * most frequent among failed attempts, ties broken toward what tells the caller to come back
   * (overloaded, rate limited) over what does not.
   *
   * @param fallback when no attempt failed (everything was skipped): the skipped targets' last failure
   */
  public static FailureClass mostTelling(List<Attempt> attempts, FailureClass fallback) {
    int[] counts = new int[FailureClass.values().length];
    boolean any = false;
    for (Attempt attempt : attempts) {
      if (attempt.failureClass() != null) {
        counts[attempt.failureClass().ordinal()]++;
        any = true;
      }
    }
    if (!any) {
      return fallback != null ? fallback : FailureClass.OVERLOADED;
    }
    FailureClass last = null;
    for (Attempt attempt : attempts) {
      if (attempt.failureClass() != null) {
        last = attempt.failureClass();
      }
    }
    if (last == FailureClass.CALLER_FAULT || last == FailureClass.CANCELLED) {
      return last;
    }
    FailureClass best = null;
    for (FailureClass candidate : PRECEDENCE) {
      if (counts[candidate.ordinal()] > 0 && (best == null || counts[candidate.ordinal()] > counts[best.ordinal()])) {
        best = candidate;
      }
    }
    return best;
  }

  private static final FailureClass[] PRECEDENCE = {FailureClass.OVERLOADED, FailureClass.RATE_LIMITED,
      FailureClass.TIMEOUT, FailureClass.SERVER, FailureClass.NETWORK, FailureClass.MALFORMED, FailureClass.QUOTA,
      FailureClass.AUTH, FailureClass.CALLER_FAULT, FailureClass.CANCELLED};
}
