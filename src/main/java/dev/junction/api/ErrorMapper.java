package dev.junction.api;

import dev.junction.provider.ProviderException;
import dev.junction.routing.AllTargetsFailedException;
import dev.junction.store.Ids;
import dev.junction.store.StoreConflictException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place failures become responses: the MA envelope (or, for OpenAI-speaking callers, the
 * OpenAI envelope by {@link OpenAiErrorWriter}), a request id, never a stack trace.
 */
public final class ErrorMapper implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

  @Override
  public void handle(RoutingContext ctx) {
    ApiError error = toApiError(ctx.failure(), ctx.statusCode(), ctx);
    if (OpenAiErrorWriter.wants(ctx)) {
      OpenAiErrorWriter.write(ctx, error, ctx.failure());
    } else {
      write(ctx, error);
    }
  }

  static ApiError toApiError(Throwable failure, int status, RoutingContext ctx) {
    if (failure instanceof ApiError e) {
      return e;
    }
    if (failure instanceof StoreConflictException e) {
      return new ApiError(409, "invalid_request_error", e.getMessage(), e.code(), false);
    }
    if (failure instanceof AllTargetsFailedException e) {
      return ProxyFailures.of(e);
    }
    if (failure instanceof ProviderException e) {
      return ProxyFailures.of(e);
    }
    if (failure instanceof HttpException e) {
      status = e.getStatusCode();
    }
    return switch (status) {
      case 400 -> ApiError.invalid("bad request" + (failure != null && failure.getMessage() != null ? ": " + failure.getMessage() : ""));
      case 401 -> new ApiError(401, "authentication_error", "authentication failed", null, null);
      case 404 -> new ApiError(404, "not_found_error", "no route for " + ctx.request().method() + " " + ctx.request().path(), null, null);
      case 405 -> new ApiError(405, "invalid_request_error",
          "method " + ctx.request().method() + " is not allowed on " + ctx.request().path(), null, false);
      case 413 -> new ApiError(413, "request_too_large", "request body is larger than the gateway accepts", null, false);
      default -> {
        LOG.error("unhandled failure on {} {} ({})", ctx.request().method(), ctx.request().path(), requestId(ctx), failure);
        yield new ApiError(500, "api_error", "internal error; see the gateway log for request " + requestId(ctx), null, null);
      }
    };
  }

  static void write(RoutingContext ctx, ApiError error) {
    HttpServerResponse resp = ctx.response();
    if (resp.headWritten()) {
      // A stream already started: the only honest signal left is to cut the connection.
      resp.reset();
      return;
    }
    JsonObject err = new JsonObject().put("type", error.type()).put("message", error.getMessage());
    if (error.errorCode() != null) {
      err.put("details", new JsonObject().put("error_code", error.errorCode()));
    }
    String rid = requestId(ctx);
    JsonObject body = new JsonObject().put("type", "error").put("error", err).put("request_id", rid);
    resp.setStatusCode(error.status()).putHeader("content-type", "application/json");
    if (error.shouldRetry() != null) {
      resp.putHeader("x-should-retry", error.shouldRetry().toString());
    }
    resp.end(body.toBuffer());
  }

  static String requestId(RoutingContext ctx) {
    String rid = ctx.get("request_id");
    if (rid == null) {
      rid = Ids.nextUnguarded("req", System.currentTimeMillis());
      ctx.put("request_id", rid);
    }
    return rid;
  }
}
