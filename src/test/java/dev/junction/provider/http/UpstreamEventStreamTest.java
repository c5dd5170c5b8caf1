package dev.junction.provider.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.provider.FailureClass;
import dev.junction.provider.ProviderException;
import dev.junction.provider.StreamEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The stream's buffer pauses the upstream at the high-water mark and resumes it once drained. */
@ExtendWith(VertxExtension.class)
class UpstreamEventStreamTest {

  private static final class Recorder implements UpstreamEventStream.Upstream {
    final List<String> calls = new ArrayList<>();

    @Override
    public void pauseUpstream() {
      calls.add("pause");
    }

    @Override
    public void resumeUpstream() {
      calls.add("resume");
    }

    @Override
    public void cancelUpstream() {
      calls.add("cancel");
    }
  }

  @Test
  void aSlowConsumerPausesTheUpstreamAndDrainingResumesIt(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> ctx.verify(() -> {
      Recorder upstream = new Recorder();
      UpstreamEventStream stream = new UpstreamEventStream(context, upstream);
      List<StreamEvent> seen = new ArrayList<>();
      stream.pause();
      stream.handler(seen::add);
      for (int i = 0; i < 100; i++) {
        stream.push(new StreamEvent.TextDelta(0, "t" + i));
      }
      assertEquals(List.of("pause"), upstream.calls, "paused once, at the high-water mark");
      assertTrue(seen.isEmpty());
      stream.fetch(10);
      assertEquals(10, seen.size());
      assertEquals(List.of("pause"), upstream.calls, "still above what the consumer asked for");
      stream.resume();
      assertEquals(100, seen.size());
      assertEquals(new StreamEvent.TextDelta(0, "t99"), seen.get(99));
      assertEquals(List.of("pause", "resume"), upstream.calls);
      ctx.completeNow();
    }));
  }

  @Test
  void aFailureIsDeliveredAfterTheQueuedEvents(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> ctx.verify(() -> {
      UpstreamEventStream stream = new UpstreamEventStream(context, new Recorder());
      List<Object> seen = new ArrayList<>();
      ProviderException failure = ProviderException.of(FailureClass.SERVER, "boom");
      stream.push(new StreamEvent.TextDelta(0, "a"));
      stream.push(new StreamEvent.Error(failure));
      stream.fail(failure);
      stream.exceptionHandler(seen::add);
      stream.endHandler(e -> seen.add("end"));
      stream.handler(seen::add);
      assertEquals(List.of(new StreamEvent.TextDelta(0, "a"), new StreamEvent.Error(failure), failure), seen);
      ctx.completeNow();
    }));
  }
}
