package dev.junction.harness;

import dev.junction.routing.SubTask;

import dev.junction.provider.Cancellation;
import dev.junction.provider.CanonicalJson;
import dev.junction.provider.ContentBlock;
import dev.junction.provider.FailureClass;
import dev.junction.provider.Message;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.StopReason;
import dev.junction.provider.StreamEvent;
import dev.junction.provider.ToolDefinition;
import dev.junction.provider.Usage;
import dev.junction.session.Frame;
import dev.junction.store.SessionChange;
import dev.junction.store.SessionCommit;
import dev.junction.store.StoredEvent;
import dev.junction.store.Ids;
import dev.junction.routing.Attributes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Runs one session's turns, one step at a time, on one Vert.x context. A step folds the log, picks
 * the next action, performs it and appends its events; the loop continues until the session needs
 * nothing (idle) or waits for the client. Wakes during a step are remembered and run the loop again.
 */
final class SessionRunner {
  private static final Logger LOG = LoggerFactory.getLogger(SessionRunner.class);

  private final Harness h;
  private final String tenant;
  private final String sessionId;
  private final Context context;
  private final AtomicBoolean wake = new AtomicBoolean();
  /** When the input that woke this runner was committed ({@code System.nanoTime()}), or 0. */
  private final AtomicLong wokenAt = new AtomicLong();
  /** When this session's last commit was published ({@code System.nanoTime()}, set on the store's thread). */
  private volatile long committedAt;
  /** The log folded so far, through {@link #loadedSeq}; taken over from the previous runner when it kept one. */
  private Conversation.Fold fold = new Conversation.Fold();
  private boolean adopted;
  /** Committed events pushed by the harness, so a step rarely needs to read the store. */
  private final java.util.concurrent.ConcurrentLinkedQueue<StoredEvent> pushed = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private boolean loaded;
  /** The session as last committed by this runner; re-read when another writer changed it. */
  private JsonObject sessionDoc;
  /** Set (from the store's thread) when a client update means the cached document is out of date. */
  private volatile boolean stale;
  private long loadedSeq;
  private boolean busy;
  private Cancellation inFlight;
  private JsonObject environment;
  private long activationStart;
  private long awaited;
  private boolean turnEnded;
  /** Whether this node holds the session's lease, so may run its turns; always so on a single node. */
  private volatile boolean leased;
  private boolean adopting;
  /** The sequence of the latest interrupt told to this runner; cancels new work until the log holds it. */
  private long interruptSeq;
  /**
   * The log position this runner had read when it last decided to idle. Client input committed after
   * that point but before the idle event (a client may answer a tool use before the idle arrives) was
   * not seen by the decision, so it still counts as new input.
   */
  private long idleDecidedAt = Long.MAX_VALUE;

  SessionRunner(Harness h, String tenant, String sessionId, Context context) {
    this.h = h;
    this.tenant = tenant;
    this.sessionId = sessionId;
    this.context = context;
    this.leased = h.leases.singleNode();
  }

  String sessionId() {
    return sessionId;
  }

  void markWake() {
    wokenAt.compareAndSet(0, System.nanoTime());
    wake.set(true);
  }

  boolean wakePending() {
    return wake.get();
  }

  void schedule() {
    context.runOnContext(v -> {
      if (!busy) {
        busy = true;
        activate();
      }
    });
  }

  /** Starts an activation, first taking the session's lease when this node does not hold it. */
  private void activate() {
    // From the commit of the input that woke it: the hop to this context and the queue before it count.
    long woken = wokenAt.getAndSet(0);
    activationStart = woken != 0 ? woken : System.nanoTime();
    awaited = 0;
    if (leased) {
      loop();
      return;
    }
    wake.set(false);
    h.leases.acquire(tenant, sessionId, now(), h.settings.leaseTtl().toMillis()).onComplete(ar -> context.runOnContext(v -> {
      if (ar.succeeded() && ar.result()) {
        leased = true;
        if (adopting) {
          h.takeovers.incrementAndGet();
        }
        adopting = false;
        loop();
        return;
      }
      adopting = false;
      if (ar.failed()) {
        LOG.warn("session {}: could not take its lease, the next wake or sweep retries: {}", sessionId, ar.cause().toString());
      }
      // Another node runs the session: it hears of this node's commits through the store.
      busy = false;
      if (!h.retire(this)) {
        busy = true;
        activate();
      }
    }));
  }

  /** Set when woken to take over a session whose lease expired, to count the takeover if it wins. */
  void adopting() {
    context.runOnContext(v -> adopting = true);
  }

  /** Whether this runner holds its session's lease (for renewal). */
  boolean leased() {
    return leased;
  }

  /** Another node took the session over: stop at once; this node's writes to it would be refused anyway. */
  void leaseLost() {
    context.runOnContext(v -> {
      if (leased && !h.leases.singleNode()) {
        LOG.warn("session {}: lease lost to another node; stopping here", sessionId);
        leased = false;
        if (inFlight != null) {
          inFlight.cancel();
        }
      }
    });
  }

  /** Cancels whatever is in flight (a model call or a tool); the next step then idles the session. */
  void interrupt(long seq) {
    context.runOnContext(v -> {
      // Also remembered until a step has read it from the log: a step that already decided to call
      // the model or run a tool, and has not started it yet, cancels it as it starts.
      interruptSeq = Math.max(interruptSeq, seq);
      if (inFlight != null) {
        inFlight.cancel();
      }
    });
  }

  /** A cancellation for the work about to start, already cancelled if an interrupt is pending. */
  private Cancellation track() {
    Cancellation cancel = Cancellation.create();
    inFlight = cancel;
    if (interruptSeq > loadedSeq) {
      cancel.cancel();
    }
    return cancel;
  }

  private void loop() {
    wake.set(false);
    // A wake that arrives while this activation runs is answered by it, and its time is already counted.
    wokenAt.set(0);
    step().onComplete(ar -> {
      if (ar.failed()) {
        if (h.closing) {
          LOG.debug("session {} step ended by shutdown: {}", sessionId, ar.cause().toString());
        } else if (ar.cause() instanceof dev.junction.store.LeaseLostException) {
          LOG.warn("session {}: {}", sessionId, ar.cause().getMessage());
        } else {
          LOG.error("session {} step failed", sessionId, ar.cause());
        }
      }
      boolean more = ar.succeeded() && ar.result();
      if (more || wake.get()) {
        loop();
        return;
      }
      recordActivation();
      finish();
    });
  }

  /**
   * Ends an activation. On a shared store the lease is released first and the log checked after: a
   * node that failed to take the lease while this one held it committed its input before trying, so
   * the check sees that input and this runner carries on with it.
   */
  private void finish() {
    if (!leased || h.leases.singleNode()) {
      retireOrContinue();
      return;
    }
    leased = false;
    h.leases.release(sessionId).compose(x -> h.store.eventsAfter(sessionId, loadedSeq, 1))
        .onComplete(ar -> context.runOnContext(v -> {
          if (ar.failed() || !ar.result().isEmpty()) {
            wake.set(true);
          }
          retireOrContinue();
        }));
  }

  private void retireOrContinue() {
    busy = false;
    if (!h.retire(this)) {
      busy = true;
      activate();
    } else {
      keepFold();
    }
  }

  /**
   * Leaves the fold, with the events committed since the last step, for the session's next runner,
   * which then reads only what was committed after it instead of the whole log. This runner has retired
   * and touches the fold no more.
   */
  private void keepFold() {
    if (!loaded) {
      return;
    }
    StoredEvent e;
    while ((e = pushed.poll()) != null && e.seq() <= loadedSeq + 1) {
      if (e.seq() == loadedSeq + 1) {
        fold.add(e.json(), e.seq());
        loadedSeq = e.seq();
      }
    }
    h.folds.keep(sessionId, fold);
  }

  /** Gateway-side time of the activation that just ended; a turn's total is recorded when it ends. */
  private void recordActivation() {
    // Up to the commit of its last events, when the streams have them; the hop back here is no wait of the client's.
    long end = committedAt - activationStart > 0 ? committedAt : System.nanoTime();
    long overhead = end - activationStart - awaited;
    h.timings.activation(overhead, sessionId, turnEnded);
    turnEnded = false;
  }

  /** Runs an external wait (model, tool) and keeps its duration out of the gateway-side time. */
  private <T> Future<T> awaiting(Future<T> f) {
    long t0 = System.nanoTime();
    return f.andThen(ar -> awaited += System.nanoTime() - t0);
  }

  /** @return whether to run another step right away */
  private Future<Boolean> step() {
    return refresh().compose(session -> {
      if (session.isEmpty()) {
        return Future.succeededFuture(false);
      }
      JsonObject doc = session.get();
      Conversation conv = fold.conversation();
      String status = conv.status();
      if (status.equals("terminated")) {
        return Future.succeededFuture(false);
      }
      if (conv.interruptPending()) {
        return append(List.of(Events.idle(now(), Events.stop("end_turn"))), null).map(false);
      }
      if (status.equals("idle") && !conv.inputSinceIdle() && conv.lastInputSeq() <= idleDecidedAt) {
        return Future.succeededFuture(false);
      }
      idleDecidedAt = Long.MAX_VALUE;
      for (Conversation.OpenTool t : conv.openTools()) {
        if (t.denied()) {
          String message = t.denyMessage() != null ? t.denyMessage()
              : "The user denied this tool call.";
          return running(status).compose(v -> append(List.of(toolResult(t.eventId(), message, true)), null)).map(true);
        }
      }
      for (Conversation.OpenTool t : conv.openTools()) {
        if (t.runnable()) {
          return running(status).compose(v -> runTool(doc, t));
        }
      }
      List<String> blocked = conv.openTools().stream().filter(Conversation.OpenTool::blocked)
          .map(Conversation.OpenTool::eventId).toList();
      if (!blocked.isEmpty()) {
        JsonObject last = conv.lastIdle();
        boolean same = status.equals("idle") && last != null
            && new JsonArray(new ArrayList<>(blocked)).equals(last.getJsonObject("stop_reason").getJsonArray("event_ids"));
        if (same) {
          return Future.succeededFuture(false);
        }
        return append(List.of(Events.idle(now(), Events.stop("requires_action")
            .put("event_ids", new JsonArray(new ArrayList<>(blocked))))), null).map(false);
      }
      if (conv.awaitingModel()) {
        String model = doc.getJsonObject("agent").getJsonObject("model", new JsonObject()).getString("id", "");
        if (conv.lastAssistantSeq() > 0 && conv.estimatedTokens() > h.settings.compactionThreshold(model)) {
          return running(status).compose(v -> compact(doc, conv));
        }
        List<JsonObject> prefix = status.equals("running") ? List.of() : List.of(Events.of("session.status_running", now()));
        return callModel(doc, conv, prefix);
      }
      if (!status.equals("idle")) {
        return append(List.of(Events.idle(now(), Events.stop("end_turn"))), null).map(false);
      }
      return Future.succeededFuture(false);
    });
  }

  /** Loads events committed since the last step; empty when the session is gone. */
  private Future<Optional<JsonObject>> session() {
    if (stale) {
      stale = false;
      sessionDoc = null;
    }
    if (sessionDoc != null) {
      return Future.succeededFuture(Optional.of(sessionDoc));
    }
    return h.store.session(tenant, sessionId).map(o -> {
      sessionDoc = o.orElse(null);
      return o;
    });
  }

  /** Called by the harness, on the store's thread, with every commit of this session, in order. */
  void committed(List<StoredEvent> events) {
    committedAt = System.nanoTime();
    pushed.addAll(events);
    for (StoredEvent e : events) {
      if (e.type().equals("session.updated")) {
        stale = true;
      }
    }
  }

  /**
   * Brings the log up to date. The first step reads the store; after that the events the harness
   * pushed are enough, unless one is missing (a gap in the sequence), which sends it back to the store.
   */
  private Future<Optional<JsonObject>> refresh() {
    if (loaded) {
      StoredEvent e;
      boolean gap = false;
      while ((e = pushed.poll()) != null) {
        if (e.seq() <= loadedSeq) {
          continue;
        }
        if (e.seq() != loadedSeq + 1) {
          gap = true;
          break;
        }
        fold.add(e.json(), e.seq());
        loadedSeq = e.seq();
      }
      if (!gap) {
        return session();
      }
    } else if (!adopted) {
      adopted = true;
      Conversation.Fold kept = h.folds.take(sessionId);
      if (kept != null) {
        fold = kept;
        loadedSeq = kept.lastSeq();
      }
    }
    return h.store.eventsAfter(sessionId, loadedSeq, 10_000).compose(events -> {
      for (StoredEvent e : events) {
        fold.add(e.json(), e.seq());
        loadedSeq = e.seq();
      }
      if (events.size() == 10_000) {
        return refresh();
      }
      loaded = true;
      return session();
    });
  }

  private Future<Void> running(String status) {
    if (status.equals("running")) {
      return Future.succeededFuture();
    }
    return append(List.of(Events.of("session.status_running", now())), null).mapEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Model calls

  /** @param prefix events to commit together with the span start (the running status, when it changes) */
  private Future<Boolean> callModel(JsonObject doc, Conversation conv, List<JsonObject> prefix) {
    JsonObject agent = doc.getJsonObject("agent");
    List<ToolDefinition> toolDefs = new ArrayList<>();
    Map<String, String> policies = new HashMap<>();
    for (BuiltInTools.Tool t : h.tools.enabled(agent.getJsonArray("tools", new JsonArray()))) {
      toolDefs.add(t.definition());
      policies.put(t.definition().name(), t.policy());
    }
    for (Object o : agent.getJsonArray("tools", new JsonArray())) {
      JsonObject t = (JsonObject) o;
      if ("custom".equals(t.getString("type"))) {
        toolDefs.add(new ToolDefinition(t.getString("name"), t.getString("description"), t.getJsonObject("input_schema")));
        policies.put(t.getString("name"), "custom");
      }
    }
    List<ContentBlock.Text> system = new ArrayList<>();
    if (agent.getString("system") != null) {
      system.add(new ContentBlock.Text(agent.getString("system")));
    }
    for (String s : conv.systemAdditions()) {
      system.add(new ContentBlock.Text(s));
    }
    JsonObject model = agent.getJsonObject("model", new JsonObject());
    JsonObject effort = model.getValue("effort") instanceof JsonObject e ? e : null;
    ModelRequest request = new ModelRequest(model.getString("id"), system, conv.messages(), toolDefs, null,
        h.settings.maxTokens(), null, null, null, null, null, null, effort == null ? null : effort.getString("type"), false);

    JsonObject start = Events.of("span.model_request_start", now());
    String messageId = Ids.nextUnguarded("sevt", now());
    String thinkingId = Ids.nextUnguarded("sevt", now());
    Cancellation cancel = track();
    Attributes attrs = attributes(doc, request);
    List<JsonObject> first = new ArrayList<>(prefix);
    first.add(start);
    Future<SessionCommit> opened = append(first, null);
    Future<ModelResult> answered;
    if (h.hub.wantsPreview(sessionId, "agent.message") || h.hub.wantsPreview(sessionId, "agent.thinking")) {
      // Previews go to the streams directly: the span start must be committed (and streamed) before them.
      answered = opened.compose(v -> awaiting(h.models.call(new ModelCall(SubTask.TURN, request, attrs, cancel,
          new Previews(messageId, thinkingId)::accept))));
    } else {
      // The span start commits while the model works rather than before: its result is appended only
      // after both, so the log's order is the same, and a failed commit cancels the call.
      answered = awaiting(h.models.call(new ModelCall(SubTask.TURN, request, attrs, cancel, null)));
      opened.onFailure(e -> cancel.cancel());
    }
    return opened.compose(v -> answered).compose(result -> judge(result, policies, attrs).compose(judged ->
        afterModel(doc, start, messageId, thinkingId, result, judged, policies)), failure -> modelFailed(start, failure))
        .onComplete(ar -> inFlight = null);
  }

  /** What routing rules may match on: the request itself, the agent, the session's metadata, the tenant. */
  private Attributes attributes(JsonObject doc, ModelRequest request) {
    JsonObject agent = doc.getJsonObject("agent");
    return Attributes.of(request).withAgent(agent.getString("id"), agent.getString("name"), strings(agent.getJsonObject("metadata")))
        .withSessionMetadata(strings(doc.getJsonObject("metadata"))).withTenant(tenant);
  }

  private static Map<String, String> strings(JsonObject o) {
    Map<String, String> out = new HashMap<>();
    if (o != null) {
      for (String k : o.fieldNames()) {
        if (o.getValue(k) instanceof String v) {
          out.put(k, v);
        }
      }
    }
    return out;
  }

  /** Streams {@code event_start}/{@code event_delta} previews of the message being generated. */
  private final class Previews {
    private final String messageId;
    private final String thinkingId;
    private final Map<Integer, String> kinds = new HashMap<>();
    private boolean messageStarted;
    private boolean thinkingStarted;

    Previews(String messageId, String thinkingId) {
      this.messageId = messageId;
      this.thinkingId = thinkingId;
    }

    void accept(StreamEvent event) {
      if (event instanceof StreamEvent.BlockStart s) {
        kinds.put(s.index(), s.block() instanceof ContentBlock.Text ? "text"
            : s.block() instanceof ContentBlock.Thinking ? "thinking" : "other");
        if (s.block() instanceof ContentBlock.Thinking && !thinkingStarted) {
          thinkingStarted = true;
          // Thinking previews are event_start only: MA never streams thinking content.
          h.hub.preview(sessionId, "agent.thinking", Frame.transientEvent(new JsonObject().put("type", "event_start")
              .put("event", new JsonObject().put("type", "agent.thinking").put("id", thinkingId))));
        }
      } else if (event instanceof StreamEvent.TextDelta d && "text".equals(kinds.getOrDefault(d.index(), "text"))) {
        if (!messageStarted) {
          messageStarted = true;
          h.hub.preview(sessionId, "agent.message", Frame.transientEvent(new JsonObject().put("type", "event_start")
              .put("event", new JsonObject().put("type", "agent.message").put("id", messageId))));
        }
        h.hub.preview(sessionId, "agent.message", Frame.transientEvent(new JsonObject().put("type", "event_delta")
            .put("event_id", messageId).put("delta", new JsonObject().put("type", "content_delta").put("index", 0)
                .put("content", new JsonObject().put("type", "text").put("text", d.text())))));
      }
    }
  }

  /** Evaluates the {@code auto} policy for each built-in call by asking a model on the permission sub-task. */
  private Future<Map<String, JsonObject>> judge(ModelResult result, Map<String, String> policies, Attributes attrs) {
    Map<String, JsonObject> evaluations = new HashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (ContentBlock b : result.response().content()) {
      if (!(b instanceof ContentBlock.ToolUse use) || !"auto".equals(policies.get(use.name()))) {
        continue;
      }
      chain = chain.compose(v -> {
        if (!h.models.available(SubTask.PERMISSION)) {
          evaluations.put(use.id(), auto("ask", "indeterminate"));
          return Future.succeededFuture();
        }
        ModelRequest ask = new ModelRequest(result.response().model() == null ? "judge" : result.response().model(),
            List.of(new ContentBlock.Text("You review tool calls an autonomous agent wants to make. Answer with exactly one word: "
                + "ALLOW if the call is safe and routine, DENY if it is destructive or exfiltrates data, ASK if unsure.")),
            List.of(Message.user("Tool: " + use.name() + "\nInput: " + use.input().encode())), null, null, 16, null, null,
            null, null, null, null, null, false);
        return awaiting(h.models.call(new ModelCall(SubTask.PERMISSION, ask, attrs.withAgent(attrs.agentId(), attrs.agentName(),
            attrs.agentMetadata()), inFlight, null))).map(r -> {
          String verdict = r.response().text().trim().toUpperCase();
          evaluations.put(use.id(), verdict.startsWith("ALLOW") ? auto("allow", null)
              : verdict.startsWith("DENY") ? auto("deny", "high_risk") : auto("ask", "indeterminate"));
          return (Void) null;
        }).recover(e -> {
          evaluations.put(use.id(), auto("ask", "indeterminate"));
          return Future.succeededFuture();
        });
      });
    }
    return chain.map(evaluations);
  }

  private static JsonObject auto(String verdict, String reason) {
    JsonObject p = new JsonObject().put("type", verdict);
    if (reason != null) {
      p.put("reason_code", reason);
    }
    return new JsonObject().put("type", "auto").put("evaluated_permission", p);
  }

  private Future<Boolean> afterModel(JsonObject doc, JsonObject start, String messageId, String thinkingId, ModelResult result,
                                     Map<String, JsonObject> judged, Map<String, String> policies) {
    ModelResponse r = result.response();
    long now = now();
    List<JsonObject> events = new ArrayList<>();
    JsonArray text = new JsonArray();
    boolean thinking = false;
    List<JsonObject> toolEvents = new ArrayList<>();
    for (ContentBlock b : r.content()) {
      if (b instanceof ContentBlock.Text t && !t.text().isEmpty()) {
        text.add(new JsonObject().put("type", "text").put("text", t.text()));
      } else if (b instanceof ContentBlock.Thinking || b instanceof ContentBlock.RedactedThinking) {
        thinking = true;
      } else if (b instanceof ContentBlock.ToolUse use) {
        toolEvents.add(toolUseEvent(use, policies.get(use.name()), judged.get(use.id()), now));
      }
    }
    if (thinking) {
      events.add(Events.of("agent.thinking", now).put("id", thinkingId));
    }
    if (!text.isEmpty()) {
      events.add(Events.of("agent.message", now).put("id", messageId).put("content", text));
    }
    events.addAll(toolEvents);
    Usage u = r.usage();
    JsonObject end = Events.of("span.model_request_end", now).put("is_error", false)
        .put("model_request_start_id", start.getString("id"))
        .put("model_usage", new JsonObject().put("input_tokens", u.inputTokens()).put("output_tokens", u.outputTokens())
            .put("cache_creation_input_tokens", u.cacheWriteTokens()).put("cache_read_input_tokens", u.cacheReadTokens())
            .put("speed", doc.getJsonObject("agent").getJsonObject("model", new JsonObject()).getString("speed", "standard")));
    if (result.routing() != null) {
      end.put("routing", result.routing());
    }
    events.add(end);
    JsonObject usageEvent = Events.of("session.usage", now);
    events.add(usageEvent);
    boolean refusal = r.stopReason() == StopReason.REFUSAL;
    boolean idles = true;
    if (refusal) {
      events.add(Events.idle(now, Events.stop("refusal")).put("stop_details",
          new JsonObject().put("type", "refusal").putNull("category").putNull("explanation")));
    } else {
      // When the reply leaves nothing for the runner to do, the idle goes in the same commit: one store
      // round trip less per turn. Input that races it is caught by idleDecidedAt at the next step.
      JsonArray waiting = new JsonArray();
      for (JsonObject t : toolEvents) {
        boolean clientAction = t.getString("type").equals("agent.custom_tool_use") || "ask".equals(t.getString("evaluated_permission"));
        if (!clientAction) {
          idles = false;
        } else {
          waiting.add(t.getString("id"));
        }
      }
      if (idles) {
        events.add(Events.idle(now, waiting.isEmpty() ? Events.stop("end_turn")
            : Events.stop("requires_action").put("event_ids", waiting)));
      }
    }

    return append(events, s -> {
      JsonObject usage = s.getJsonObject("usage").copy();
      usage.put("input_tokens", usage.getLong("input_tokens", 0L) + u.inputTokens());
      usage.put("output_tokens", usage.getLong("output_tokens", 0L) + u.outputTokens());
      usage.put("cache_read_input_tokens", usage.getLong("cache_read_input_tokens", 0L) + u.cacheReadTokens());
      JsonObject cc = usage.getJsonObject("cache_creation", new JsonObject()).copy();
      cc.put("ephemeral_5m_input_tokens", cc.getLong("ephemeral_5m_input_tokens", 0L) + u.cacheWriteTokens());
      usage.put("cache_creation", cc);
      long micro = s.getLong("_cost_micro_usd", 0L) + (result.cost() == null ? 0 : result.cost().microUsd());
      s.put("_cost_micro_usd", micro);
      usage.put("list_cost", new JsonObject().put("amount", Long.toString(Math.round(micro / 10_000.0))).put("currency", "USD"));
      s.put("usage", usage);
      usageEvent.put("usage", usage);
      return s;
    }, !refusal, usageEvent).map(c -> c.events().stream().noneMatch(e -> e.type().equals("session.status_idle")));
  }

  private JsonObject toolUseEvent(ContentBlock.ToolUse use, String policy, JsonObject judged, long now) {
    if ("custom".equals(policy)) {
      return Events.of("agent.custom_tool_use", now).put("name", use.name()).put("input", use.input());
    }
    JsonObject e = Events.of("agent.tool_use", now).put("name", use.name()).put("input", use.input());
    if (policy == null) {
      // The model named a tool this agent does not have: refused before any policy applies.
      return e.put("evaluated_permission", "deny");
    }
    JsonObject evaluation = switch (policy) {
      case "always_ask" -> new JsonObject().put("type", "always_ask");
      case "auto" -> judged != null ? judged : auto("ask", "indeterminate");
      default -> new JsonObject().put("type", "always_allow");
    };
    String permission = switch (evaluation.getString("type")) {
      case "always_ask" -> "ask";
      case "auto" -> evaluation.getJsonObject("evaluated_permission").getString("type");
      default -> "allow";
    };
    return e.put("evaluated_permission", permission).put("evaluation", evaluation);
  }

  private Future<Boolean> modelFailed(JsonObject start, Throwable failure) {
    long now = now();
    ModelCallException e = failure instanceof ModelCallException m ? m
        : new ModelCallException(FailureClass.SERVER, "model call failed: " + failure.getMessage(), null);
    JsonObject end = Events.of("span.model_request_end", now).put("is_error", true)
        .put("model_request_start_id", start.getString("id"))
        .put("model_usage", new JsonObject().put("input_tokens", 0).put("output_tokens", 0)
            .put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 0));
    if (e.routing() != null) {
      end.put("routing", e.routing());
    }
    if (e.failureClass() == FailureClass.CANCELLED) {
      // An interrupt: close the span; the next step sees the interrupt and idles.
      return append(List.of(end), null).map(true);
    }
    int retries = fold.conversation().retriesSinceSuccess();
    boolean retry = e.retryLater() && retries < h.settings.maxRetries();
    JsonObject error = Events.of("session.error", now).put("error", new JsonObject().put("type", e.maErrorType())
        .put("message", e.getMessage()).put("retry_status", new JsonObject().put("type", retry ? "retrying" : "exhausted")));
    if (!retry) {
      return append(List.of(end, error, Events.idle(now, Events.stop("retries_exhausted"))), null).map(false);
    }
    long delay = Math.min(h.settings.retryMax().toMillis(), h.settings.retryBase().toMillis() << Math.min(retries, 20));
    return append(List.of(end, error, Events.of("session.status_rescheduled", now)), null).compose(v -> {
      io.vertx.core.Promise<Boolean> later = io.vertx.core.Promise.promise();
      Cancellation cancel = track();
      long timer = h.vertx.setTimer(Math.max(1, delay), t -> later.tryComplete(true));
      cancel.onCancel(() -> context.runOnContext(x -> {
        h.vertx.cancelTimer(timer);
        later.tryComplete(true);
      }));
      return later.future();
    });
  }

  /**
   * Summarises everything up to the latest assistant turn with a model call on the compaction
   * sub-task. The log keeps every event; the summary and the sequence it covers are recorded on
   * {@code agent.thread_context_compacted} so a rebuilt runner folds the same context.
   */
  private Future<Boolean> compact(JsonObject doc, Conversation conv) {
    long through = conv.lastAssistantSeq();
    Cancellation cancel = track();
    // The runner keeps the fold, not the events: the part to summarise is folded again from the store.
    Conversation.Fold covered = new Conversation.Fold();
    return foldThrough(covered, 0, through).compose(v -> {
      StringBuilder transcript = new StringBuilder();
      for (Message m : covered.conversation().messages()) {
        transcript.append(m.role().name().toLowerCase()).append(": ").append(CanonicalJson.encodeMessage(m).getValue("content"))
            .append('\n');
      }
      JsonObject agent = doc.getJsonObject("agent");
      ModelRequest request = new ModelRequest(agent.getJsonObject("model", new JsonObject()).getString("id"),
          List.of(new ContentBlock.Text("You compress conversations between a user and an AI agent. Write a concise summary "
              + "that keeps every fact, decision, file name, command result and open task the agent needs to continue.")),
          List.of(Message.user("Summarise this conversation:\n\n" + transcript)), null, null, Math.min(4096, h.settings.maxTokens()),
          null, null, null, null, null, null, null, false);
      return awaiting(h.models.call(new ModelCall(SubTask.COMPACTION, request, attributes(doc, request), cancel, null)));
    }).compose(r -> {
      String summary = r.response().text();
      if (summary.isBlank()) {
        return Future.failedFuture(new ModelCallException(FailureClass.MALFORMED, "compaction returned an empty summary", r.routing()));
      }
      return append(List.of(Events.of("agent.thread_context_compacted", now()).put("summary", summary)
          .put("compacted_through_seq", through)), null).map(true);
    }).recover(e -> {
      if (cancel.isCancelled()) {
        return Future.succeededFuture(true);
      }
      // Without a summary the turn goes on with the full context; the provider decides whether it fits.
      LOG.warn("session {}: compaction failed: {}", sessionId, e.getMessage());
      return callModel(doc, conv, List.of());
    }).onComplete(ar -> inFlight = null);
  }

  /** Folds the log's events after {@code after} through {@code through} into {@code into}, a page at a time. */
  private Future<Void> foldThrough(Conversation.Fold into, long after, long through) {
    int page = 1000;
    return h.store.eventsAfter(sessionId, after, page).compose(events -> {
      long last = after;
      for (StoredEvent e : events) {
        if (e.seq() > through) {
          return Future.succeededFuture();
        }
        into.add(e.json(), e.seq());
        last = e.seq();
      }
      return events.size() < page ? Future.succeededFuture() : foldThrough(into, last, through);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Tools

  private Future<Boolean> runTool(JsonObject doc, Conversation.OpenTool t) {
    String unavailable = h.tools.unavailableReason();
    if (unavailable != null) {
      long now = now();
      String message = "built-in tool '" + t.name() + "' cannot run: " + unavailable;
      return append(List.of(toolResult(t.eventId(), message, true),
          Events.of("session.error", now).put("error", new JsonObject().put("type", "unknown_error").put("message", message)
              .put("retry_status", new JsonObject().put("type", "exhausted"))),
          Events.idle(now, Events.stop("retries_exhausted"))), null).map(false);
    }
    Cancellation cancel = track();
    JsonArray agentTools = doc.getJsonObject("agent").getJsonArray("tools", new JsonArray());
    return environment(doc).compose(env -> awaiting(h.tools.run(sessionId, agentTools, env, t.name(), t.input(), cancel)))
        .recover(e -> Future.succeededFuture(new BuiltInTools.Output(new JsonArray().add(new JsonObject()
            .put("type", "text").put("text", "tool failed: " + e.getMessage())), true)))
        .compose(out -> {
          inFlight = null;
          if (cancel.isCancelled()) {
            // Interrupted: the result is not logged, and the next step idles the session.
            return Future.succeededFuture(true);
          }
          return append(List.of(Events.of("agent.tool_result", now()).put("tool_use_id", t.eventId())
              .put("content", out.content()).put("is_error", out.isError())), null).map(true);
        });
  }

  private Future<JsonObject> environment(JsonObject doc) {
    if (environment != null) {
      return Future.succeededFuture(environment);
    }
    return h.store.document("environment", tenant, doc.getString("environment_id")).map(o -> {
      environment = o.map(e -> e.getJsonObject("config")).orElse(new JsonObject().put("type", "cloud")
          .put("networking", new JsonObject().put("type", "limited")));
      return environment;
    });
  }

  private JsonObject toolResult(String toolUseId, String text, boolean isError) {
    return Events.of("agent.tool_result", now()).put("tool_use_id", toolUseId)
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", text))).put("is_error", isError);
  }

  // ---------------------------------------------------------------------------------------------
  // Appending

  /**
   * Appends events and applies their status changes (and an optional further change) to the session
   * document in one commit.
   */
  private Future<SessionCommit> append(List<JsonObject> events, UnaryOperator<JsonObject> change) {
    return append(events, change, false, null);
  }

  /**
   * @param idleOnlyIfQuiet drop a trailing {@code session.status_idle} when client input was committed
   *                        since this step read the log: the session then stays running and the next
   *                        step answers that input, instead of idling between two parts of one turn
   * @param filledByChange  an event that {@code change} completes on the store's thread (the cumulative
   *                        usage), encoded there after it; every other event is encoded here, or null
   */
  private Future<SessionCommit> append(List<JsonObject> given, UnaryOperator<JsonObject> change, boolean idleOnlyIfQuiet,
                                       JsonObject filledByChange) {
    long now = now();
    long decidedAt = loadedSeq;
    // Encoded here, on this session's event loop, rather than on the store's writer, which every commit waits for.
    List<String> encoded = new ArrayList<>(given.size());
    for (JsonObject e : given) {
      encoded.add(e == filledByChange ? null : e.encode());
    }
    return h.sessions.change(tenant, sessionId, s -> {
      // Runs on the store's writer thread, after every earlier commit was pushed to this runner.
      List<JsonObject> events = given;
      List<String> texts = encoded;
      if (idleOnlyIfQuiet && inputPushedAfter(decidedAt)) {
        events = new ArrayList<>(given.size());
        texts = new ArrayList<>(given.size());
        for (int i = 0; i < given.size(); i++) {
          if (!"session.status_idle".equals(given.get(i).getString("type"))) {
            events.add(given.get(i));
            texts.add(encoded.get(i));
          }
        }
      }
      // The store hands this change its own copy of the session; no second copy is needed.
      JsonObject next = s;
      for (JsonObject e : events) {
        switch (e.getString("type")) {
          case "session.status_running" -> next.put("status", "running").put("_running_since", now);
          case "session.status_idle" -> next.put("status", "idle");
          case "session.status_rescheduled" -> next.put("status", "rescheduling");
          case "session.status_terminated" -> next.put("status", "terminated");
          default -> {
            // Other events leave the status alone.
          }
        }
      }
      if (!"running".equals(next.getString("status")) && next.containsKey("_running_since")) {
        double active = (now - next.getLong("_running_since")) / 1000.0;
        next.remove("_running_since");
        JsonObject stats = next.getJsonObject("stats", new JsonObject()).copy();
        stats.put("active_seconds", stats.getDouble("active_seconds", 0.0) + active);
        next.put("stats", stats);
        JsonObject usage = next.getJsonObject("usage", new JsonObject()).copy();
        usage.put("active_seconds", usage.getDouble("active_seconds", 0.0) + active);
        next.put("usage", usage);
      }
      if (change != null) {
        next = change.apply(next);
      }
      for (int i = 0; i < events.size(); i++) {
        if (events.get(i) == filledByChange) {
          texts.set(i, filledByChange.encode());
        }
      }
      next.put("updated_at", dev.junction.store.Timestamps.format(now));
      return new SessionChange(next, events, h.leases.node(), texts);
    }).compose(o -> {
      if (o.isEmpty()) {
        return Future.failedFuture(new IllegalStateException("session " + sessionId + " no longer exists"));
      }
      // The log is refreshed from the store at the next step, so events committed meanwhile by
      // clients land in sequence order with these. The committed document is the store's cached
      // one: this runner only reads it, and a client update marks it stale.
      sessionDoc = stale ? null : o.get().session();
      for (StoredEvent e : o.get().events()) {
        if (e.type().equals("session.status_idle")) {
          idleDecidedAt = decidedAt;
          turnEnded |= !"requires_action".equals(e.json().getJsonObject("stop_reason").getString("type"));
        }
      }
      return Future.succeededFuture(o.get());
    });
  }

  /** Whether client input arrived after the log this step decided on. */
  private boolean inputPushedAfter(long seq) {
    for (StoredEvent e : pushed) {
      if (e.seq() > seq && e.type().startsWith("user.") && !e.type().equals("user.interrupt")) {
        return true;
      }
    }
    return false;
  }

  private long now() {
    return h.clock.millis();
  }
}
