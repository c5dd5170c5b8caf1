package dev.junction.testing;

import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

/** Waits for an asynchronous effect (a socket closing, a subscriber leaving) with a bound, not a fixed delay. */
public final class Eventually {
  private Eventually() {
  }

  public static void assertTrue(String what, BooleanSupplier condition, long timeoutMillis) {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not true within " + timeoutMillis + " ms: " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }
}
