package dev.junction.api;

import dev.junction.store.Ids;
import dev.junction.store.ListQuery;
import dev.junction.store.Store;
import dev.junction.store.StoreConflictException;
import dev.junction.store.Timestamps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.util.List;
import java.util.Set;

/** {@code /v1/environments}: cloud and self-hosted configurations stored faithfully. */
final class EnvironmentsApi {
  static final String KIND = "environment";
  private static final Set<String> FIELDS = Set.of("name", "config", "description", "metadata", "scope");
  private static final List<String> PACKAGE_MANAGERS = List.of("apt", "cargo", "gem", "go", "npm", "pip");

  private final Store store;
  private final Clock clock;

  EnvironmentsApi(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  void mount(Router r) {
    r.post("/v1/environments").handler(this::create);
    r.get("/v1/environments").handler(this::list);
    r.get("/v1/environments/:id").handler(this::retrieve);
    r.post("/v1/environments/:id").handler(this::update);
    r.delete("/v1/environments/:id").handler(this::delete);
    r.post("/v1/environments/:id/archive").handler(this::archive);
  }

  private void create(RoutingContext ctx) {
    JsonObject body = Requests.body(ctx);
    Fields.onlyKnown(body, "", FIELDS);
    long now = clock.millis();
    String ts = Timestamps.format(now);
    JsonObject config = config(Fields.optionalObject(body, "", "config"), null);
    JsonObject metadata = Fields.metadata(body, "", "metadata", false);
    JsonObject env = new JsonObject().put("type", "environment").put("id", Ids.next("env", now))
        .put("name", Fields.requiredString(body, "", "name", 1, 256))
        .put("description", Fields.optionalString(body, "", "description", 0, 2048))
        .put("config", config)
        .put("metadata", metadata == null ? new JsonObject() : metadata)
        .put("scope", scope(body))
        .put("created_at", ts).put("updated_at", ts).putNull("archived_at");
    store.createDocument(KIND, AgentsApi.tenant(ctx), env, now).onComplete(ar -> Responses.json(ctx, ar));
  }

  private static String scope(JsonObject body) {
    String s = Fields.oneOf(body, "", "scope", Set.of("organization", "account"), false);
    return s == null ? "organization" : s;
  }

  private void retrieve(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    store.document(KIND, AgentsApi.tenant(ctx), id)
        .map(o -> o.orElseThrow(() -> notFound(id)))
        .onComplete(ar -> Responses.json(ctx, ar));
  }

  private void update(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    JsonObject body = Requests.body(ctx);
    Fields.onlyKnown(body, "", FIELDS);
    if (body.containsKey("name")) {
      Fields.requiredString(body, "", "name", 1, 256);
    }
    Fields.optionalString(body, "", "description", 0, 2048);
    JsonObject configPatch = Fields.optionalObject(body, "", "config");
    JsonObject metadata = Fields.metadata(body, "", "metadata", true);
    long now = clock.millis();
    store.updateDocument(KIND, AgentsApi.tenant(ctx), id, current -> {
      if (current.getString("archived_at") != null) {
        throw new StoreConflictException("environment_archived", "environment " + id + " is archived and read-only");
      }
      JsonObject next = current.copy();
      if (body.containsKey("name")) {
        next.put("name", body.getString("name"));
      }
      if (body.containsKey("description")) {
        String d = body.getString("description");
        next.put("description", d == null || d.isEmpty() ? null : d);
      }
      if (body.containsKey("scope")) {
        next.put("scope", scope(body));
      }
      if (configPatch != null) {
        next.put("config", config(configPatch, current.getJsonObject("config")));
      }
      if (metadata != null) {
        next.put("metadata", Fields.patchMetadata(current.getJsonObject("metadata"), metadata, true));
      }
      return next.equals(current) ? current : next.put("updated_at", Timestamps.format(now));
    }).map(o -> o.orElseThrow(() -> notFound(id))).onComplete(ar -> Responses.json(ctx, ar));
  }

  private void list(RoutingContext ctx) {
    var params = ctx.queryParams();
    boolean desc = Requests.descending(params, true);
    ListQuery q = new ListQuery(Requests.limit(params, 20, 1000), desc, null, null,
        Requests.bool(params, "include_archived"), Requests.range(params, "created_at"), null, null, List.of(), List.of());
    store.listDocuments(KIND, AgentsApi.tenant(ctx), Requests.paged(params, q))
        .onComplete(ar -> Responses.page(ctx, ar, desc, false));
  }

  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    store.deleteDocument(KIND, AgentsApi.tenant(ctx), id).map(deleted -> {
      if (!deleted) {
        throw notFound(id);
      }
      return new JsonObject().put("id", id).put("type", "environment_deleted");
    }).onComplete(ar -> Responses.json(ctx, ar));
  }

  private void archive(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String ts = Timestamps.format(clock.millis());
    store.updateDocument(KIND, AgentsApi.tenant(ctx), id, current -> current.getString("archived_at") != null ? current
            : current.copy().put("archived_at", ts).put("updated_at", ts))
        .map(o -> o.orElseThrow(() -> notFound(id))).onComplete(ar -> Responses.json(ctx, ar));
  }

  static ApiError notFound(String id) {
    return new ApiError(404, "not_found_error", "environment " + id + " not found", "environment_not_found", null);
  }

  /**
   * Normalises a config, merging onto the current one on update: omitted sub-fields are kept, and the
   * type may not change.
   */
  static JsonObject config(JsonObject in, JsonObject current) {
    String p = "config";
    if (in == null) {
      return current != null ? current : defaultCloud();
    }
    String type = Fields.oneOf(in, p, "type", Set.of("cloud", "self_hosted"), current == null);
    if (type == null) {
      type = current.getString("type");
    }
    if (current != null && !type.equals(current.getString("type"))) {
      throw ApiError.invalid("config.type: cannot change from " + current.getString("type") + " to " + type
          + "; create a new environment instead", "invalid_config_type_change");
    }
    if (type.equals("self_hosted")) {
      Fields.onlyKnown(in, p, Set.of("type"));
      return new JsonObject().put("type", "self_hosted");
    }
    Fields.onlyKnown(in, p, Set.of("type", "networking", "packages"));
    JsonObject base = current != null ? current.copy() : defaultCloud();
    JsonObject net = Fields.optionalObject(in, p, "networking");
    if (net != null) {
      String nt = Fields.oneOf(net, p + ".networking", "type", Set.of("unrestricted", "limited"), true);
      if (nt.equals("unrestricted")) {
        Fields.onlyKnown(net, p + ".networking", Set.of("type"));
        base.put("networking", new JsonObject().put("type", "unrestricted"));
      } else {
        Fields.onlyKnown(net, p + ".networking", Set.of("type", "allowed_hosts", "allow_mcp_servers", "allow_package_managers"));
        JsonObject prev = base.getJsonObject("networking");
        boolean wasLimited = prev != null && "limited".equals(prev.getString("type"));
        JsonArray hosts = Fields.optionalArray(net, p + ".networking", "allowed_hosts", 256);
        if (hosts != null) {
          for (int i = 0; i < hosts.size(); i++) {
            Fields.stringAt(hosts, p + ".networking.allowed_hosts", i);
          }
        }
        Boolean mcp = Fields.optionalBool(net, p + ".networking", "allow_mcp_servers");
        Boolean pkg = Fields.optionalBool(net, p + ".networking", "allow_package_managers");
        base.put("networking", new JsonObject().put("type", "limited")
            .put("allowed_hosts", hosts != null ? hosts : wasLimited ? prev.getJsonArray("allowed_hosts") : new JsonArray())
            .put("allow_mcp_servers", mcp != null ? mcp : wasLimited && prev.getBoolean("allow_mcp_servers", false))
            .put("allow_package_managers", pkg != null ? pkg : wasLimited && prev.getBoolean("allow_package_managers", false)));
      }
    }
    JsonObject pk = Fields.optionalObject(in, p, "packages");
    if (pk != null) {
      Set<String> allowed = new java.util.HashSet<>(PACKAGE_MANAGERS);
      allowed.add("type");
      Fields.onlyKnown(pk, p + ".packages", allowed);
      Fields.oneOf(pk, p + ".packages", "type", Set.of("packages"), false);
      JsonObject packages = base.getJsonObject("packages").copy();
      for (String m : PACKAGE_MANAGERS) {
        JsonArray list = Fields.optionalArray(pk, p + ".packages", m, 1000);
        if (list != null) {
          for (int i = 0; i < list.size(); i++) {
            Fields.stringAt(list, p + ".packages." + m, i);
          }
          packages.put(m, list);
        }
      }
      base.put("packages", packages);
    }
    return base.put("type", "cloud");
  }

  private static JsonObject defaultCloud() {
    JsonObject packages = new JsonObject().put("type", "packages");
    for (String m : PACKAGE_MANAGERS) {
      packages.put(m, new JsonArray());
    }
    return new JsonObject().put("type", "cloud").put("networking", new JsonObject().put("type", "unrestricted"))
        .put("packages", packages);
  }
}
