package dev.junction.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The p95 and success rate kept as samples come and go agree with recomputing them from the windows. */
class ObservationsTest {

  @Test
  void p95AndSuccessRateFollowTheirWindowsAsTheyWrap() {
    Random random = new Random(11);
    Observations observations = new Observations();
    Deque<Double> latencies = new ArrayDeque<>();
    Deque<Boolean> outcomes = new ArrayDeque<>();
    for (int i = 0; i < 2_000; i++) {
      // repeated values too, so equal latencies leave the sorted copy one at a time
      double latency = random.nextInt(4) == 0 ? 100 : random.nextInt(5_000) / 10.0;
      boolean ok = random.nextInt(5) != 0;
      if (ok) {
        observations.success(latency, latency);
      } else {
        observations.failure(latency);
      }
      latencies.addLast(latency);
      if (latencies.size() > 64) {
        latencies.removeFirst();
      }
      outcomes.addLast(ok);
      if (outcomes.size() > 50) {
        outcomes.removeFirst();
      }
      TargetStats stats = observations.view();
      if (latencies.size() >= TargetStats.MIN_P95_SAMPLES) {
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        assertEquals(sorted[(int) Math.ceil(0.95 * sorted.length) - 1], stats.p95Millis(), "after sample " + i);
      }
      assertEquals(outcomes.stream().filter(b -> b).count() / (double) outcomes.size(), stats.successRate(), 1e-12);
    }
  }
}
