package dev.junction.harness;

import dev.junction.provider.CallOptions;
import dev.junction.provider.EventStream;
import dev.junction.provider.FailureClass;
import dev.junction.provider.ProviderClient;
import dev.junction.provider.ProviderException;
import dev.junction.provider.ProviderKind;
import dev.junction.provider.StreamAccumulator;
import dev.junction.provider.StreamEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Sends each call to the requested model's native provider ({@code claude-*} to Anthropic,
 * {@code gpt-*}/{@code o*} to OpenAI, anything else to an OpenAI-compatible endpoint), with no
 * failover. The routing layer replaces it where route tables are configured.
 */
public final class DirectModelGateway implements ModelGateway {
  private final List<ProviderClient> providers;

  public DirectModelGateway(List<ProviderClient> providers) {
    this.providers = List.copyOf(providers);
  }

  @Override
  public boolean available(SubTask subTask) {
    return !providers.isEmpty();
  }

  @Override
  public Future<ModelResult> call(ModelCall call) {
    ProviderClient p = native_(call.request().model());
    if (p == null) {
      return Future.failedFuture(new ModelCallException(FailureClass.CALLER_FAULT,
          "no provider is configured for model " + call.request().model(), null));
    }
    long t0 = System.nanoTime();
    CallOptions options = CallOptions.DEFAULT.withCancellation(call.cancellation());
    Future<dev.junction.provider.ModelResponse> response;
    if (call.previews() == null) {
      response = p.send(call.request(), options);
    } else {
      response = p.stream(call.request(), options).compose(stream -> collect(stream, call));
    }
    return response.map(r -> new ModelResult(r, p.cost(r.model() == null ? call.request().model() : r.model(), r.usage()),
            routing(p, call, null, t0)))
        .recover(e -> {
          FailureClass fc = e instanceof ProviderException pe ? pe.failureClass() : FailureClass.NETWORK;
          return Future.failedFuture(new ModelCallException(fc, e.getMessage(), routing(p, call, fc, t0)));
        });
  }

  private static Future<dev.junction.provider.ModelResponse> collect(EventStream stream, ModelCall call) {
    Promise<dev.junction.provider.ModelResponse> promise = Promise.promise();
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
      if (event instanceof StreamEvent.Error) {
        return;
      }
      acc.accept(event);
      call.previews().accept(event);
    });
    return promise.future();
  }

  private static JsonObject routing(ProviderClient p, ModelCall call, FailureClass failure, long t0) {
    String target = p.name() + ":" + call.request().model();
    return new JsonObject().put("route", "direct").put("strategy", "requested").put("target", target)
        .put("attempts", new JsonArray().add(new JsonObject().put("target", target)
            .put("failure", failure == null ? null : failure.name().toLowerCase())
            .put("latency_ms", (System.nanoTime() - t0) / 1_000_000)));
  }

  private ProviderClient native_(String model) {
    ProviderKind want = model.startsWith("claude") ? ProviderKind.ANTHROPIC
        : model.startsWith("gpt") || model.matches("o\\d.*") ? ProviderKind.OPENAI : ProviderKind.OPENAI_COMPATIBLE;
    for (ProviderClient p : providers) {
      ProviderKind k = p.config().kind();
      if (k == want || (want == ProviderKind.OPENAI && k == ProviderKind.OPENAI_RESPONSES)) {
        return p;
      }
    }
    return providers.isEmpty() ? null : providers.get(0);
  }
}
