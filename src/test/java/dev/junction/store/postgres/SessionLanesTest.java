package dev.junction.store.postgres;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writes to one session start one after another; other sessions do not wait; a failure does not jam the lane. */
class SessionLanesTest {

  @Test
  void aLaneStartsEachWriteOnlyAfterTheOneBeforeHasCompleted() {
    SessionLanes lanes = new SessionLanes();
    List<String> log = new ArrayList<>();
    Promise<String> first = Promise.promise();
    Promise<String> second = Promise.promise();
    Future<String> f1 = lanes.run("s1", () -> {
      log.add("start 1");
      return first.future();
    });
    Future<String> f2 = lanes.run("s1", () -> {
      log.add("start 2");
      return second.future();
    });
    Future<String> other = lanes.run("s2", () -> {
      log.add("start other");
      return Future.succeededFuture("o");
    });
    assertEquals(List.of("start 1", "start other"), log, "the second write of s1 waits; s2 does not");
    assertTrue(other.succeeded());

    // The second write's result is ready, yet its work must not start before the first write ends.
    second.complete("2");
    assertEquals(List.of("start 1", "start other"), log);
    assertTrue(!f2.isComplete());

    first.fail(new IllegalStateException("rolled back"));
    assertTrue(f1.failed());
    assertEquals(List.of("start 1", "start other", "start 2"), log, "a failed write still frees the lane");
    assertTrue(f2.succeeded());
    assertEquals("2", f2.result());
  }

  @Test
  void anIdleLaneRunsAtOnceAndAThrowingWriteFailsItsFuture() {
    SessionLanes lanes = new SessionLanes();
    Future<String> thrown = lanes.run("s", () -> {
      throw new IllegalArgumentException("bad");
    });
    assertTrue(thrown.failed());
    Future<String> next = lanes.run("s", () -> Future.succeededFuture("ok"));
    assertTrue(next.succeeded(), "the lane was free again");
  }
}
