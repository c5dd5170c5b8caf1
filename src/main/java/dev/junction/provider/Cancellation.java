package dev.junction.provider;

import java.util.ArrayList;
import java.util.List;

/**
 * A one-shot signal that the caller went away. The gateway cancels it when a downstream client
 * disconnects; a provider call listening on it resets its upstream request. Thread-safe; listeners
 * run on the thread that cancels (or at once, if already cancelled) and must hop to their own
 * context themselves.
 */
public final class Cancellation {
  private final List<Runnable> listeners = new ArrayList<>(2);
  private boolean cancelled;

  public static Cancellation create() {
    return new Cancellation();
  }

  public void cancel() {
    List<Runnable> toRun;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      toRun = new ArrayList<>(listeners);
      listeners.clear();
    }
    toRun.forEach(Runnable::run);
  }

  public synchronized boolean isCancelled() {
    return cancelled;
  }

  /**
   * Registers a listener; runs it immediately when already cancelled. Returns an action that
   * removes the listener, so a long-lived cancellation (one per session, say) does not collect
   * listeners of calls that have finished.
   */
  public Runnable onCancel(Runnable listener) {
    synchronized (this) {
      if (!cancelled) {
        listeners.add(listener);
        return () -> remove(listener);
      }
    }
    listener.run();
    return () -> { };
  }

  private synchronized void remove(Runnable listener) {
    listeners.remove(listener);
  }

  /** Listeners currently registered; for tests and leak checks. */
  public synchronized int listenerCount() {
    return listeners.size();
  }
}
