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
import java.util.Set;

/** {@code /v1/agents}: create, retrieve (any version), update as a new immutable version, list, archive, versions. */
final class AgentsApi {
  private static final Set<String> CREATE_FIELDS = Set.of("name", "model", "description", "system", "tools", "mcp_servers",
      "skills", "multiagent", "execution_identity", "metadata");
  private static final Set<String> UPDATE_FIELDS;

  static {
    java.util.HashSet<String> s = new java.util.HashSet<>(CREATE_FIELDS);
    s.add("version");
    UPDATE_FIELDS = Set.copyOf(s);
  }

  private final Store store;
  private final Clock clock;

  AgentsApi(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  void mount(Router r) {
    r.post("/v1/agents").handler(this::create);
    r.get("/v1/agents").handler(this::list);
    r.get("/v1/agents/:id").handler(this::retrieve);
    r.post("/v1/agents/:id").handler(this::update);
    r.post("/v1/agents/:id/archive").handler(this::archive);
    r.get("/v1/agents/:id/versions").handler(this::versions);
  }

  private void create(RoutingContext ctx) {
    JsonObject body = Requests.body(ctx);
    Fields.onlyKnown(body, "", CREATE_FIELDS);
    long now = clock.millis();
    String ts = Timestamps.format(now);
    JsonObject agent = new JsonObject().put("type", "agent").put("id", Ids.next("agent", now));
    agent.put("name", Fields.requiredString(body, "", "name", 1, 256));
    if (!body.containsKey("model")) {
      throw ApiError.invalid("model: required");
    }
    agent.put("model", AgentShapes.model(body.getValue("model"), "model", null));
    agent.put("description", Fields.optionalString(body, "", "description", 0, 2048));
    agent.put("system", Fields.optionalString(body, "", "system", 0, 100_000));
    JsonArray mcp = AgentShapes.mcpServers(orEmpty(Fields.optionalArray(body, "", "mcp_servers", 20)), "mcp_servers");
    JsonArray tools = AgentShapes.tools(orEmpty(Fields.optionalArray(body, "", "tools", 256)), "tools", mcp);
    AgentShapes.checkMcpReferenced(mcp, tools, "mcp_servers");
    agent.put("tools", tools).put("mcp_servers", mcp);
    agent.put("skills", AgentShapes.skills(orEmpty(Fields.optionalArray(body, "", "skills", 64)), "skills"));
    agent.put("multiagent", AgentShapes.multiagent(body.getValue("multiagent"), "multiagent"));
    agent.put("execution_identity", AgentShapes.executionIdentity(body.getValue("execution_identity"), "execution_identity"));
    JsonObject metadata = Fields.metadata(body, "", "metadata", false);
    agent.put("metadata", metadata == null ? new JsonObject() : metadata);
    agent.put("version", 1L).put("created_at", ts).put("updated_at", ts).putNull("archived_at");
    store.createAgent(tenant(ctx), agent, now).onComplete(ar -> Responses.json(ctx, ar));
  }

  private void retrieve(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Long version = null;
    String v = ctx.queryParams().get("version");
    if (v != null) {
      try {
        version = Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw ApiError.invalid("version: must be an integer >= 1, got '" + v + "'");
      }
      if (version < 1) {
        throw ApiError.invalid("version: must be an integer >= 1, got " + version);
      }
    }
    Long ver = version;
    store.agent(tenant(ctx), id, version)
        .map(o -> o.orElseThrow(() -> ver == null ? ApiError.notFound("agent", id)
            : new ApiError(404, "not_found_error", "agent " + id + " has no version " + ver, null, null)))
        .onComplete(ar -> Responses.json(ctx, ar));
  }

  private void update(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    JsonObject body = Requests.body(ctx);
    Fields.onlyKnown(body, "", UPDATE_FIELDS);
    Long expected = Fields.optionalInt(body, "", "version", 1, Long.MAX_VALUE);
    // Validate everything before touching the store so a bad request writes nothing.
    if (body.containsKey("name")) {
      Fields.requiredString(body, "", "name", 1, 256);
    }
    Fields.optionalString(body, "", "description", 0, 2048);
    Fields.optionalString(body, "", "system", 0, 100_000);
    JsonObject metadata = Fields.metadata(body, "", "metadata", true);
    JsonArray mcpIn = Fields.optionalArray(body, "", "mcp_servers", 20);
    JsonArray toolsIn = Fields.optionalArray(body, "", "tools", 256);
    JsonArray skillsIn = Fields.optionalArray(body, "", "skills", 64);
    long now = clock.millis();
    store.updateAgent(tenant(ctx), id, current -> {
      if (current.getString("archived_at") != null) {
        throw new StoreConflictException("agent_archived", "agent " + id + " is archived and cannot be updated");
      }
      long latest = current.getLong("version");
      if (expected != null && expected != latest) {
        throw new StoreConflictException(null, "agent " + id + " is at version " + latest + ", not " + expected
            + "; retrieve it and apply your change again");
      }
      JsonObject next = current.copy();
      if (body.containsKey("name")) {
        next.put("name", body.getString("name"));
      }
      for (String f : new String[] {"description", "system"}) {
        if (body.containsKey(f)) {
          String s = body.getString(f);
          next.put(f, s == null || s.isEmpty() ? null : s);
        }
      }
      if (body.containsKey("model")) {
        next.put("model", AgentShapes.model(body.getValue("model"), "model", current.getJsonObject("model")));
      }
      JsonArray mcp = body.containsKey("mcp_servers") ? AgentShapes.mcpServers(orEmpty(mcpIn), "mcp_servers")
          : current.getJsonArray("mcp_servers");
      JsonArray tools = body.containsKey("tools") ? AgentShapes.tools(orEmpty(toolsIn), "tools", mcp)
          : current.getJsonArray("tools");
      AgentShapes.checkMcpReferenced(mcp, tools, "mcp_servers");
      next.put("mcp_servers", mcp).put("tools", tools);
      if (body.containsKey("skills")) {
        next.put("skills", AgentShapes.skills(orEmpty(skillsIn), "skills"));
      }
      if (body.containsKey("multiagent")) {
        next.put("multiagent", AgentShapes.multiagent(body.getValue("multiagent"), "multiagent"));
      }
      if (body.containsKey("execution_identity")) {
        next.put("execution_identity", AgentShapes.executionIdentity(body.getValue("execution_identity"), "execution_identity"));
      }
      if (metadata != null) {
        next.put("metadata", Fields.patchMetadata(current.getJsonObject("metadata"), metadata, false));
      }
      if (next.equals(current)) {
        return current;
      }
      return next.put("updated_at", Timestamps.format(now));
    }).map(o -> o.orElseThrow(() -> ApiError.notFound("agent", id))).onComplete(ar -> Responses.json(ctx, ar));
  }

  private void list(RoutingContext ctx) {
    var params = ctx.queryParams();
    boolean desc = Requests.descending(params, true);
    ListQuery q = new ListQuery(Requests.limit(params, 20, 1000), desc, null, null,
        Requests.bool(params, "include_archived"), Requests.range(params, "created_at"), null, null, java.util.List.of(),
        java.util.List.of());
    store.listAgents(tenant(ctx), Requests.paged(params, q))
        .onComplete(ar -> Responses.page(ctx, ar, desc, false));
  }

  private void archive(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    long now = clock.millis();
    store.archiveAgent(tenant(ctx), id, now, Timestamps.format(now))
        .map(o -> o.orElseThrow(() -> ApiError.notFound("agent", id)))
        .onComplete(ar -> Responses.json(ctx, ar));
  }

  private void versions(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    var params = ctx.queryParams();
    boolean desc = Requests.descending(params, true);
    ListQuery q = Requests.paged(params, ListQuery.of(Requests.limit(params, 20, 1000), desc));
    store.listAgentVersions(tenant(ctx), id, q)
        .map(o -> o.orElseThrow(() -> ApiError.notFound("agent", id)))
        .onComplete(ar -> Responses.page(ctx, ar, desc, false));
  }

  static JsonArray orEmpty(JsonArray a) {
    return a == null ? new JsonArray() : a;
  }

  static String tenant(RoutingContext ctx) {
    return ctx.get(Auth.TENANT);
  }
}
