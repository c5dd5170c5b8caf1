package dev.junction.harness;

import dev.junction.provider.CallOptions;
import dev.junction.provider.Cost;
import dev.junction.provider.EventStream;
import dev.junction.provider.FailureClass;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.ProviderException;
import dev.junction.provider.StreamAccumulator;
import dev.junction.provider.StreamEvent;
import dev.junction.routing.AllTargetsFailedException;
import dev.junction.routing.Completion;
import dev.junction.routing.FailoverExecutor;
import dev.junction.routing.Outcome;
import dev.junction.routing.RouteRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Model calls through the routing layer: route tables pick the targets, breakers and observed
 * reliability order them, and the executor fails over before anything is committed. The session sees
 * only the result and the {@code routing} record of every attempt.
 */
public final class RoutedModelGateway implements ModelGateway {
  private final FailoverExecutor executor;

  public RoutedModelGateway(FailoverExecutor executor) {
    this.executor = executor;
  }

  @Override
  public Future<ModelResult> call(ModelCall call) {
    RouteRequest request = new RouteRequest(call.subTask(), call.attributes(), call.request(),
        CallOptions.DEFAULT.withCancellation(call.cancellation()));
    Future<ModelResult> result;
    if (call.previews() == null) {
      result = executor.execute(request).compose(o -> cost(o).map(c -> new ModelResult(o.value(), c, o.routing().toJson())));
    } else {
      result = executor.executeStream(request).compose(o -> collect(o.value(), call)
          .compose(r -> cost(o).map(c -> new ModelResult(r, c, o.routing().toJson()))));
    }
    return result.recover(e -> Future.failedFuture(failure(e)));
  }

  private static Future<Cost> cost(Outcome<?> o) {
    // The completion carries the price of what the target served; a missing one is not an error.
    return o.completion().map(Completion::cost).otherwise(Cost.UNKNOWN).map(c -> c == null ? Cost.UNKNOWN : c);
  }

  private static Future<ModelResponse> collect(EventStream stream, ModelCall call) {
    Promise<ModelResponse> promise = Promise.promise();
    StreamAccumulator acc = new StreamAccumulator();
    stream.exceptionHandler(promise::tryFail);
    stream.endHandler(v -> {
      try {
        promise.tryComplete(acc.result());
      } catch (ProviderException e) {
        promise.tryFail(e);
      }
    });
    stream.handler(event -> {
      if (!(event instanceof StreamEvent.Error)) {
        acc.accept(event);
        call.previews().accept(event);
      }
    });
    return promise.future();
  }

  private static ModelCallException failure(Throwable e) {
    if (e instanceof ModelCallException m) {
      return m;
    }
    if (e instanceof AllTargetsFailedException all) {
      return new ModelCallException(all.failureClass(), all.getMessage(), all.routing().toJson());
    }
    if (e instanceof ProviderException p) {
      // A committed stream that failed later: no failover is possible any more.
      return new ModelCallException(p.failureClass(), p.getMessage(), null);
    }
    return new ModelCallException(FailureClass.SERVER, "model call failed: " + e.getMessage(), null);
  }
}
