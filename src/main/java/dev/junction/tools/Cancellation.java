package dev.junction.tools;

import java.util.ArrayList;
import java.util.List;

/**
 * A one-way switch the harness flips when a {@code user.interrupt} arrives. Whoever runs work on
 * behalf of a tool call registers what to do on cancel (kill the jail, abort an HTTP request);
 * a callback registered after the switch was flipped runs at once, so a race cannot lose it.
 */
public final class Cancellation {
  private final List<Runnable> callbacks = new ArrayList<>();
  private boolean cancelled;

  /** @return a fresh, not yet cancelled token */
  public static Cancellation create() {
    return new Cancellation();
  }

  /** @return a token nobody will cancel (for callers without interrupts) */
  public static Cancellation none() {
    return new Cancellation();
  }

  /** Flips the switch and runs every registered callback once; later calls do nothing. */
  public void cancel() {
    List<Runnable> toRun;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      toRun = List.copyOf(callbacks);
      callbacks.clear();
    }
    toRun.forEach(Runnable::run);
  }

  /** @return whether {@link #cancel()} was called */
  public synchronized boolean isCancelled() {
    return cancelled;
  }

  /**
   * Registers {@code action} to run on cancel.
   *
   * @param action what to do; runs on the cancelling thread, or on this one if already cancelled
   * @return a handle that unregisters the action (call it when the work finished on its own)
   */
  public Runnable onCancel(Runnable action) {
    synchronized (this) {
      if (!cancelled) {
        callbacks.add(action);
        return () -> {
          synchronized (this) {
            callbacks.remove(action);
          }
        };
      }
    }
    action.run();
    return () -> { };
  }
}
