package dev.junction.store.postgres;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs this node's writes to one session one after another. The row lock already orders writers in
 * the database; queueing them here as well means each write's commit listeners have run before the
 * next write of that session starts, so listeners see a session's batches in sequence order even
 * though transactions finish on different connections, and a queued write holds no connection while
 * it waits for the lock.
 */
final class SessionLanes {
  private final ConcurrentHashMap<String, Future<?>> tails = new ConcurrentHashMap<>();

  /**
   * @param sessionId the lane
   * @param work      started once every earlier write of the lane has completed, either way
   */
  <T> Future<T> run(String sessionId, Supplier<Future<T>> work) {
    Promise<T> done = Promise.promise();
    Future<T> mine = done.future();
    Future<?> before = tails.put(sessionId, mine);
    Runnable start = () -> {
      Future<T> result;
      try {
        result = work.get();
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(ar -> {
        // Forget the lane once idle so the map holds only sessions being written.
        tails.remove(sessionId, mine);
        done.handle(ar);
      });
    };
    if (before == null) {
      start.run();
    } else {
      before.onComplete(ar -> start.run());
    }
    return mine;
  }
}
