package dev.junction.api;

import dev.junction.session.SessionService;
import dev.junction.store.Ids;
import dev.junction.store.ListQuery;
import dev.junction.store.SessionChange;
import dev.junction.store.Store;
import dev.junction.store.StoreConflictException;
import dev.junction.store.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.util.List;
import java.util.Set;

/** {@code /v1/sessions}: create with an agent snapshot, retrieve, update, list with filters, delete, archive. */
final class SessionsApi {
  static final Set<String> STATUSES = Set.of("rescheduling", "running", "idle", "terminated");
  private static final Set<String> CREATE_FIELDS = Set.of("agent", "environment_id", "title", "metadata", "resources",
      "vault_ids", "initial_events", "budget");
  private static final Set<String> UPDATE_FIELDS = Set.of("title", "metadata", "agent", "budget", "vault_ids");
  private static final Set<String> INITIAL_TYPES = Set.of("user.message", "user.define_outcome");

  private final Store store;
  private final SessionService sessions;
  private final Clock clock;

  SessionsApi(Store store, SessionService sessions, Clock clock) {
    this.store = store;
    this.sessions = sessions;
    this.clock = clock;
  }

  void mount(Router r) {
    r.post("/v1/sessions").handler(this::create);
    r.get("/v1/sessions").handler(this::list);
    r.get("/v1/sessions/:id").handler(this::retrieve);
    r.post("/v1/sessions/:id").handler(this::update);
    r.delete("/v1/sessions/:id").handler(this::delete);
    r.post("/v1/sessions/:id/archive").handler(this::archive);
  }

  private void create(RoutingContext ctx) {
    JsonObject body = Requests.body(ctx);
    Fields.onlyKnown(body, "", CREATE_FIELDS);
    String tenant = AgentsApi.tenant(ctx);
    long now = clock.millis();
    AgentRef ref = agentRef(body.getValue("agent"));
    String envId = Fields.requiredString(body, "", "environment_id", 1, 128);
    String title = Fields.optionalString(body, "", "title", 0, 1024);
    JsonObject metadata = Fields.metadata(body, "", "metadata", false);
    JsonArray resources = resources(AgentsApi.orEmpty(Fields.optionalArray(body, "", "resources", 100)), now);
    JsonArray vaults = AgentsApi.orEmpty(Fields.optionalArray(body, "", "vault_ids", 50));
    for (int i = 0; i < vaults.size(); i++) {
      Fields.stringAt(vaults, "vault_ids", i);
    }
    JsonObject budget = budget(body);
    JsonArray initial = Fields.optionalArray(body, "", "initial_events", 50);

    Future<JsonObject> agent = store.agent(tenant, ref.id, ref.version).map(o -> {
      JsonObject a = o.orElseThrow(() -> ref.version == null ? ApiError.notFound("agent", ref.id)
          : new ApiError(404, "not_found_error", "agent " + ref.id + " has no version " + ref.version, null, null));
      if (a.getString("archived_at") != null) {
        throw ApiError.invalid("agent: agent " + ref.id + " is archived; new sessions cannot reference it");
      }
      return a;
    });
    // The environment is looked up after the agent, so an unknown agent is always the error reported.
    Future<JsonObject> env = agent.compose(a -> store.document(EnvironmentsApi.KIND, tenant, envId)).map(o -> {
      JsonObject e = o.orElseThrow(() -> EnvironmentsApi.notFound(envId));
      if (e.getString("archived_at") != null) {
        throw ApiError.invalid("environment_id: environment " + envId + " is archived", "environment_archived");
      }
      return e;
    });
    Future.all(agent, env).compose(v -> {
      JsonObject snapshot = snapshot(agent.result(), ref.overrides);
      boolean selfHosted = "self_hosted".equals(env.result().getJsonObject("config").getString("type"));
      List<JsonObject> events = initial == null ? List.of()
          : EventParams.parse(initial, "initial_events", INITIAL_TYPES, selfHosted, now);
      String ts = Timestamps.format(now);
      JsonObject session = new JsonObject().put("type", "session").put("id", Ids.next("sesn", now))
          .put("status", "idle").put("title", title).put("environment_id", envId).put("agent", snapshot)
          .put("resources", resources).put("vault_ids", vaults)
          .put("metadata", metadata == null ? new JsonObject() : metadata).put("budget", budget)
          .put("outcome_evaluations", new JsonArray())
          .put("stats", new JsonObject().put("active_seconds", 0.0).put("duration_seconds", 0.0))
          .put("usage", zeroUsage()).putNull("deployment_id")
          .put("created_at", ts).put("updated_at", ts).putNull("archived_at")
          .put("_environment_type", env.result().getJsonObject("config").getString("type"));
      return sessions.create(tenant, session, now, events).map(c -> render(c.session()));
    }).onComplete(ar -> Responses.json(ctx, ar));
  }

  private record AgentRef(String id, Long version, JsonObject overrides) {
  }

  private static AgentRef agentRef(Object v) {
    if (v == null) {
      throw ApiError.invalid("agent: required");
    }
    if (v instanceof String s) {
      if (s.isEmpty()) {
        throw ApiError.invalid("agent: must not be empty");
      }
      return new AgentRef(s, null, null);
    }
    if (!(v instanceof JsonObject o)) {
      throw Fields.typeError("agent", "an agent id string or an object", v);
    }
    String type = Fields.oneOf(o, "agent", "type", Set.of("agent", "agent_with_overrides"), true);
    if (type.equals("agent")) {
      Fields.onlyKnown(o, "agent", Set.of("type", "id", "version"));
    } else {
      Fields.onlyKnown(o, "agent", Set.of("type", "id", "version", "model", "system", "tools", "mcp_servers", "skills"));
    }
    return new AgentRef(Fields.requiredString(o, "agent", "id", 1, 128), Fields.optionalInt(o, "agent", "version", 1, Long.MAX_VALUE),
        type.equals("agent") ? null : o);
  }

  private static JsonObject snapshot(JsonObject agent, JsonObject overrides) {
    JsonObject s = new JsonObject().put("type", "agent").put("id", agent.getString("id")).put("version", agent.getLong("version"));
    for (String f : List.of("name", "description", "system", "model", "tools", "mcp_servers", "skills", "multiagent",
        "execution_identity")) {
      s.put(f, agent.getValue(f));
    }
    if (overrides != null) {
      if (overrides.containsKey("model")) {
        s.put("model", AgentShapes.model(overrides.getValue("model"), "agent.model", agent.getJsonObject("model")));
      }
      if (overrides.containsKey("system")) {
        s.put("system", Fields.optionalString(overrides, "agent", "system", 0, 100_000));
      }
      if (overrides.containsKey("mcp_servers")) {
        s.put("mcp_servers", AgentShapes.mcpServers(AgentsApi.orEmpty(Fields.optionalArray(overrides, "agent", "mcp_servers", 20)),
            "agent.mcp_servers"));
      }
      if (overrides.containsKey("tools")) {
        s.put("tools", AgentShapes.tools(AgentsApi.orEmpty(Fields.optionalArray(overrides, "agent", "tools", 256)), "agent.tools",
            s.getJsonArray("mcp_servers")));
      }
      if (overrides.containsKey("skills")) {
        s.put("skills", AgentShapes.skills(AgentsApi.orEmpty(Fields.optionalArray(overrides, "agent", "skills", 64)), "agent.skills"));
      }
      AgentShapes.checkMcpReferenced(s.getJsonArray("mcp_servers"), s.getJsonArray("tools"), "agent.mcp_servers");
    }
    return s;
  }

  private static JsonArray resources(JsonArray in, long now) {
    JsonArray out = new JsonArray();
    String ts = Timestamps.format(now);
    for (int i = 0; i < in.size(); i++) {
      String p = "resources[" + i + "]";
      JsonObject r = Fields.objectAt(in, "resources", i);
      String type = Fields.oneOf(r, p, "type", Set.of("github_repository", "file", "memory_store"), true);
      switch (type) {
        case "github_repository" -> {
          Fields.onlyKnown(r, p, Set.of("type", "url", "authorization_token", "checkout", "mount_path"));
          String url = Fields.requiredString(r, p, "url", 1, 2048);
          Fields.optionalString(r, p, "authorization_token", 1, 4096);
          JsonObject checkout = Fields.optionalObject(r, p, "checkout");
          if (checkout != null) {
            String ct = Fields.oneOf(checkout, p + ".checkout", "type", Set.of("branch", "commit"), true);
            Fields.requiredString(checkout, p + ".checkout", ct.equals("branch") ? "name" : "sha", 1, 256);
          }
          String mount = Fields.optionalString(r, p, "mount_path", 1, 1024);
          String repo = url.replaceAll("/+$", "");
          repo = repo.substring(repo.lastIndexOf('/') + 1).replaceAll("\\.git$", "");
          // The token is write-only: it is never part of the stored document or any response.
          out.add(new JsonObject().put("type", type).put("id", Ids.next("sesrsc", now)).put("url", url)
              .put("mount_path", mount == null ? "/workspace/" + repo : mount).put("checkout", checkout)
              .put("created_at", ts).put("updated_at", ts));
        }
        case "file" -> {
          Fields.onlyKnown(r, p, Set.of("type", "file_id", "mount_path"));
          String fileId = Fields.requiredString(r, p, "file_id", 1, 256);
          String mount = Fields.optionalString(r, p, "mount_path", 1, 1024);
          out.add(new JsonObject().put("type", type).put("id", Ids.next("sesrsc", now)).put("file_id", fileId)
              .put("mount_path", mount == null ? "/mnt/session/uploads/" + fileId : mount)
              .put("created_at", ts).put("updated_at", ts));
        }
        default -> {
          Fields.onlyKnown(r, p, Set.of("type", "memory_store_id", "access", "instructions"));
          String access = Fields.oneOf(r, p, "access", Set.of("read_write", "read_only"), false);
          out.add(new JsonObject().put("type", type).put("memory_store_id", Fields.requiredString(r, p, "memory_store_id", 1, 256))
              .put("access", access == null ? "read_write" : access)
              .put("instructions", Fields.optionalString(r, p, "instructions", 0, 4096)));
        }
      }
    }
    return out;
  }

  private static JsonObject budget(JsonObject body) {
    JsonObject b = Fields.optionalObject(body, "", "budget");
    if (b == null) {
      return null;
    }
    Fields.onlyKnown(b, "budget", Set.of("type", "max_list_cost"));
    Fields.oneOf(b, "budget", "type", Set.of("limit"), true);
    JsonObject cost = Fields.requiredObject(b, "budget", "max_list_cost");
    String amount = Fields.requiredString(cost, "budget.max_list_cost", "amount", 1, 32);
    if (!amount.matches("[0-9]+")) {
      throw ApiError.invalid("budget.max_list_cost.amount: must be a whole number of minor units as a string, got '" + amount + "'");
    }
    Fields.oneOf(cost, "budget.max_list_cost", "currency", Set.of("USD"), true);
    return new JsonObject().put("type", "limit").put("max_list_cost", new JsonObject().put("amount", amount).put("currency", "USD"));
  }

  static JsonObject zeroUsage() {
    return new JsonObject().put("input_tokens", 0).put("output_tokens", 0).put("cache_read_input_tokens", 0)
        .put("cache_creation", new JsonObject().put("ephemeral_5m_input_tokens", 0).put("ephemeral_1h_input_tokens", 0))
        .put("active_seconds", 0.0).put("list_cost", new JsonObject().put("amount", "0").put("currency", "USD"))
        .put("server_tool_use", new JsonObject().put("web_search_requests", 0).put("web_fetch_requests", 0));
  }

  /** The client-facing shape: private bookkeeping fields dropped, duration computed now. */
  JsonObject render(JsonObject doc) {
    JsonObject out = new JsonObject();
    for (var e : doc) {
      if (!e.getKey().startsWith("_")) {
        out.put(e.getKey(), e.getValue());
      }
    }
    JsonObject stats = doc.getJsonObject("stats", new JsonObject()).copy();
    long created = Timestamps.parse(doc.getString("created_at"));
    long end = doc.getString("archived_at") != null ? Timestamps.parse(doc.getString("archived_at")) : clock.millis();
    stats.put("duration_seconds", Math.max(0, end - created) / 1000.0);
    return out.put("stats", stats);
  }

  private void retrieve(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    store.session(AgentsApi.tenant(ctx), id).map(o -> render(o.orElseThrow(() -> ApiError.notFound("session", id))))
        .onComplete(ar -> Responses.json(ctx, ar));
  }

  private void update(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    JsonObject body = Requests.body(ctx);
    Fields.onlyKnown(body, "", UPDATE_FIELDS);
    if (body.containsKey("vault_ids")) {
      throw ApiError.invalid("vault_ids: cannot be changed after a session is created");
    }
    String title = Fields.optionalString(body, "", "title", 0, 1024);
    JsonObject metadata = Fields.metadata(body, "", "metadata", true);
    JsonObject agentPatch = Fields.optionalObject(body, "", "agent");
    if (agentPatch != null) {
      Fields.onlyKnown(agentPatch, "agent", Set.of("tools", "mcp_servers"));
    }
    JsonObject budget = body.containsKey("budget") ? budget(body) : null;
    long now = clock.millis();
    String ts = Timestamps.format(now);
    sessions.change(AgentsApi.tenant(ctx), id, s -> {
      if (s.getString("archived_at") != null) {
        throw new StoreConflictException("session_archived", "session " + id + " is archived and read-only");
      }
      JsonObject next = s.copy();
      JsonObject changed = new JsonObject();
      if (body.containsKey("title") && !java.util.Objects.equals(title, s.getString("title"))) {
        next.put("title", title);
        changed.put("title", title);
      }
      if (metadata != null) {
        JsonObject m = Fields.patchMetadata(s.getJsonObject("metadata"), metadata, false);
        if (!m.equals(s.getJsonObject("metadata"))) {
          next.put("metadata", m);
          changed.put("metadata", m);
        }
      }
      if (body.containsKey("budget")) {
        if (s.getValue("budget") == null && budget != null) {
          throw ApiError.invalid("budget: a budget can only be set when the session is created", "budget_create_only");
        }
        if (!java.util.Objects.equals(budget, s.getValue("budget"))) {
          next.put("budget", budget);
          changed.put("budget", budget);
        }
      }
      if (agentPatch != null) {
        if ("running".equals(s.getString("status"))) {
          throw new StoreConflictException("session_running", "session " + id
              + " is running; agent tools and mcp_servers can be changed only while it is idle");
        }
        JsonObject agent = s.getJsonObject("agent").copy();
        if (agentPatch.containsKey("mcp_servers")) {
          agent.put("mcp_servers", AgentShapes.mcpServers(AgentsApi.orEmpty(Fields.optionalArray(agentPatch, "agent", "mcp_servers", 20)),
              "agent.mcp_servers"));
        }
        if (agentPatch.containsKey("tools")) {
          agent.put("tools", AgentShapes.tools(AgentsApi.orEmpty(Fields.optionalArray(agentPatch, "agent", "tools", 256)),
              "agent.tools", agent.getJsonArray("mcp_servers")));
        }
        AgentShapes.checkMcpReferenced(agent.getJsonArray("mcp_servers"), agent.getJsonArray("tools"), "agent.mcp_servers");
        if (!agent.equals(s.getJsonObject("agent"))) {
          next.put("agent", agent);
          changed.put("agent", agent);
        }
      }
      if (changed.isEmpty()) {
        return new SessionChange(s, List.of());
      }
      next.put("updated_at", ts);
      JsonObject event = new JsonObject().put("type", "session.updated").put("id", Ids.nextUnguarded("sevt", now))
          .put("processed_at", ts);
      event.mergeIn(changed);
      return new SessionChange(next, List.of(event));
    }).map(o -> render(o.orElseThrow(() -> ApiError.notFound("session", id)).session()))
        .onComplete(ar -> Responses.json(ctx, ar));
  }

  private void list(RoutingContext ctx) {
    var params = ctx.queryParams();
    boolean desc = Requests.descending(params, true);
    List<String> statuses = Requests.array(params, "statuses");
    Requests.checkAllowed(STATUSES, statuses, "statuses");
    Long agentVersion = null;
    String av = params.get("agent_version");
    if (av != null) {
      try {
        agentVersion = Long.parseLong(av);
      } catch (NumberFormatException e) {
        throw ApiError.invalid("agent_version: must be an integer, got '" + av + "'");
      }
    }
    ListQuery q = new ListQuery(Requests.limit(params, 20, 1000), desc, null, null, Requests.bool(params, "include_archived"),
        Requests.range(params, "created_at"), params.get("agent_id"), agentVersion, statuses, List.of());
    store.listSessions(AgentsApi.tenant(ctx), Requests.paged(params, q))
        .map(p -> new dev.junction.store.Page<>(p.items().stream().map(this::render).toList(), p.next(), p.prev()))
        .onComplete(ar -> Responses.page(ctx, ar, desc, true));
  }

  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    sessions.delete(AgentsApi.tenant(ctx), id).map(o -> {
      o.orElseThrow(() -> ApiError.notFound("session", id));
      return new JsonObject().put("id", id).put("type", "session_deleted");
    }).onComplete(ar -> Responses.json(ctx, ar));
  }

  private void archive(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String ts = Timestamps.format(clock.millis());
    sessions.update(AgentsApi.tenant(ctx), id, s -> s.getString("archived_at") != null ? s
            : s.put("archived_at", ts).put("updated_at", ts))
        .map(o -> render(o.orElseThrow(() -> ApiError.notFound("session", id))))
        .onComplete(ar -> Responses.json(ctx, ar));
  }
}
