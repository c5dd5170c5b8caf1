package dev.junction.routing;

/**
 * What has been observed of one target, frozen at snapshot time.
 *
 * @param latencyMillis EWMA of completed attempt latency, NaN before the first sample
 * @param ttftMillis EWMA of time to first token (streams) or to the reply, NaN before the first
 * @param successRate successes over the recent window of counted outcomes, NaN when empty
 * @param inFlight attempts running when the target's outcomes last changed (an attempt starting is
 *     not a change a plan needs to see; the admin view reads the live count)
 * @param p95Millis the p95 of recent latencies, NaN with fewer than {@link #MIN_P95_SAMPLES}
 * @param samples how many latencies have been observed in total
 */
public record TargetStats(double latencyMillis, double ttftMillis, double successRate, int inFlight,
    double p95Millis, long samples) {
  public static final int MIN_P95_SAMPLES = 5;
  public static final TargetStats NONE = new TargetStats(Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN, 0);
}
