package dev.junction.api;

import dev.junction.store.Page;
import dev.junction.store.StoredEvent;
import io.vertx.core.AsyncResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The last step of every handler: a JSON body or a failure handed to the error mapper. */
final class Responses {
  private Responses() {
  }

  static void json(RoutingContext ctx, AsyncResult<JsonObject> ar) {
    if (ar.failed()) {
      ctx.fail(ar.cause());
      return;
    }
    ctx.response().putHeader("content-type", "application/json").end(ar.result().toBuffer());
  }

  /** A body already encoded as JSON text. */
  static void jsonText(RoutingContext ctx, AsyncResult<String> ar) {
    if (ar.failed()) {
      ctx.fail(ar.cause());
      return;
    }
    ctx.response().putHeader("content-type", "application/json").end(ar.result());
  }

  static void page(RoutingContext ctx, AsyncResult<Page<JsonObject>> ar, boolean descending, boolean withPrev) {
    if (ar.failed()) {
      ctx.fail(ar.cause());
      return;
    }
    Page<JsonObject> p = ar.result();
    JsonObject body = new JsonObject().put("data", new JsonArray(new java.util.ArrayList<>(p.items())))
        .put("next_page", Requests.next(p, descending));
    if (withPrev) {
      body.put("prev_page", Requests.prev(p, descending));
    }
    ctx.response().putHeader("content-type", "application/json").end(body.toBuffer());
  }

  static void events(RoutingContext ctx, AsyncResult<Page<StoredEvent>> ar, boolean descending) {
    if (ar.failed()) {
      ctx.fail(ar.cause());
      return;
    }
    Page<StoredEvent> p = ar.result();
    JsonArray data = new JsonArray();
    for (StoredEvent e : p.items()) {
      data.add(e.json());
    }
    JsonObject body = new JsonObject().put("data", data).put("next_page", Requests.next(p, descending));
    ctx.response().putHeader("content-type", "application/json").end(body.toBuffer());
  }
}
