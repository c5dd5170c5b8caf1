package dev.junction.api;

import dev.junction.provider.FailureClass;
import dev.junction.provider.ProviderException;
import dev.junction.provider.openai.OpenAiErrorShape;
import dev.junction.routing.AllTargetsFailedException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The error mapper's second voice: the same {@link ApiError} in OpenAI's envelope
 * {@code {"error":{message,type,param,code}}} for callers of the OpenAI-compatible endpoints, so
 * their SDKs raise the error classes they know.
 */
final class OpenAiErrorWriter {
  private OpenAiErrorWriter() {
  }

  /** Whether the caller speaks OpenAI: the Chat endpoint, or an OpenAI client listing models. */
  static boolean wants(RoutingContext ctx) {
    String path = ctx.request().path();
    return path.equals(ProxyApi.CHAT_PATH) || path.equals(ProxyApi.MODELS_PATH) && ModelsHandler.openAiClient(ctx);
  }

  static void write(RoutingContext ctx, ApiError error, Throwable cause) {
    HttpServerResponse resp = ctx.response();
    if (resp.headWritten()) {
      resp.reset();
      return;
    }
    FailureClass failure = cause instanceof AllTargetsFailedException e ? e.failureClass()
        : cause instanceof ProviderException e ? e.failureClass() : null;
    String type = failure != null ? OpenAiErrorShape.type(failure) : typeFor(error.status());
    Object code = failure != null ? OpenAiErrorShape.code(failure) : error.errorCode();
    JsonObject body = new JsonObject().put("error", new JsonObject().put("message", error.getMessage())
        .put("type", type).put("param", null).put("code", code));
    resp.setStatusCode(error.status()).putHeader("content-type", "application/json");
    if (error.shouldRetry() != null) {
      resp.putHeader("x-should-retry", error.shouldRetry().toString());
    }
    resp.end(body.toBuffer());
  }

  private static String typeFor(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 429 -> "requests";
      default -> status >= 500 ? "server_error" : "invalid_request_error";
    };
  }
}
