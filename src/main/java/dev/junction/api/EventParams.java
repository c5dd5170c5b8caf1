package dev.junction.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Validates the events a client sends (MA §4.1) and normalises them into what is persisted and echoed. */
final class EventParams {
  static final Set<String> CLIENT_TYPES = Set.of("user.message", "user.interrupt", "user.tool_confirmation",
      "user.custom_tool_result", "user.tool_result", "user.define_outcome", "system.message");
  static final Set<String> ALL_TYPES = Set.of("user.message", "user.interrupt", "user.tool_confirmation",
      "user.custom_tool_result", "user.tool_result", "user.define_outcome", "system.message", "agent.message",
      "agent.thinking", "agent.tool_use", "agent.tool_result", "agent.mcp_tool_use", "agent.mcp_tool_result",
      "agent.custom_tool_use", "agent.thread_context_compacted", "agent.thread_message_sent",
      "agent.thread_message_received", "session.status_running", "session.status_idle", "session.status_rescheduled",
      "session.status_terminated", "session.error", "session.deleted", "session.updated", "session.usage",
      "session.thread_created", "session.thread_status_running", "session.thread_status_idle",
      "session.thread_status_rescheduled", "session.thread_status_terminated", "span.model_request_start",
      "span.model_request_end", "span.outcome_evaluation_start", "span.outcome_evaluation_ongoing",
      "span.outcome_evaluation_end", "workflow_run.created", "workflow_run.status_running", "workflow_run.status_idle",
      "workflow_run.status_ended", "workflow_run.error", "workflow_run.phase_started", "workflow_run.phase_ended");
  private static final Set<String> BLOCK_TYPES = Set.of("text", "image", "document", "search_result");
  private static final Set<String> FOLLOWED_BY_SYSTEM = Set.of("user.message", "user.tool_result", "user.custom_tool_result");

  private EventParams() {
  }

  /**
   * @param path         "events" or "initial_events"
   * @param allowed      the types accepted at this place
   * @param selfHosted   whether {@code user.tool_result} is allowed (self-hosted environments only)
   */
  static List<JsonObject> parse(JsonArray events, String path, Set<String> allowed, boolean selfHosted, long nowMillis) {
    if (events.isEmpty()) {
      throw ApiError.invalid(path + ": must contain at least one event");
    }
    List<JsonObject> out = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      String p = path + "[" + i + "]";
      JsonObject e = Fields.objectAt(events, path, i);
      String type = Fields.requiredString(e, p, "type", 1, 128);
      if (!allowed.contains(type)) {
        if (ALL_TYPES.contains(type)) {
          throw ApiError.invalid(p + ".type: '" + type + "' cannot be sent here; accepted types are " + new java.util.TreeSet<>(allowed));
        }
        throw ApiError.invalid(p + ".type: unknown event type '" + type + "'");
      }
      out.add(switch (type) {
        case "user.message", "system.message" -> {
          Fields.onlyKnown(e, p, Set.of("type", "content"));
          yield new JsonObject().put("type", type).put("content", content(e, p, true));
        }
        case "user.interrupt" -> {
          Fields.onlyKnown(e, p, Set.of("type", "session_thread_id"));
          yield new JsonObject().put("type", type).put("session_thread_id", Fields.optionalString(e, p, "session_thread_id", 1, 128));
        }
        case "user.tool_confirmation" -> {
          Fields.onlyKnown(e, p, Set.of("type", "tool_use_id", "result", "deny_message", "session_thread_id"));
          String result = Fields.oneOf(e, p, "result", Set.of("allow", "deny"), true);
          String deny = Fields.optionalString(e, p, "deny_message", 0, 10_000);
          if (deny != null && !result.equals("deny")) {
            throw ApiError.invalid(p + ".deny_message: only allowed with result \"deny\"");
          }
          JsonObject o = new JsonObject().put("type", type).put("tool_use_id", Fields.requiredString(e, p, "tool_use_id", 1, 128))
              .put("result", result);
          if (deny != null) {
            o.put("deny_message", deny);
          }
          yield o.put("session_thread_id", Fields.optionalString(e, p, "session_thread_id", 1, 128));
        }
        case "user.custom_tool_result", "user.tool_result" -> {
          String idField = type.equals("user.tool_result") ? "tool_use_id" : "custom_tool_use_id";
          if (type.equals("user.tool_result") && !selfHosted) {
            throw ApiError.invalid(p + ".type: user.tool_result is only valid on self_hosted environments");
          }
          Fields.onlyKnown(e, p, Set.of("type", idField, "content", "is_error", "session_thread_id"));
          Boolean isError = Fields.optionalBool(e, p, "is_error");
          JsonObject o = new JsonObject().put("type", type).put(idField, Fields.requiredString(e, p, idField, 1, 128))
              .put("content", e.containsKey("content") ? content(e, p, false) : new JsonArray())
              .put("is_error", isError != null && isError);
          String thread = Fields.optionalString(e, p, "session_thread_id", 1, 128);
          if (thread != null) {
            o.put("session_thread_id", thread);
          }
          yield o;
        }
        case "user.define_outcome" -> {
          Fields.onlyKnown(e, p, Set.of("type", "description", "rubric", "max_iterations"));
          String description = Fields.requiredString(e, p, "description", 1, 100_000);
          JsonObject rubric = Fields.requiredObject(e, p, "rubric");
          String rt = Fields.oneOf(rubric, p + ".rubric", "type", Set.of("text", "file"), true);
          JsonObject r = new JsonObject().put("type", rt);
          if (rt.equals("text")) {
            Fields.onlyKnown(rubric, p + ".rubric", Set.of("type", "content"));
            r.put("content", Fields.requiredString(rubric, p + ".rubric", "content", 1, 262_144));
          } else {
            Fields.onlyKnown(rubric, p + ".rubric", Set.of("type", "file_id"));
            r.put("file_id", Fields.requiredString(rubric, p + ".rubric", "file_id", 1, 256));
          }
          Long max = Fields.optionalInt(e, p, "max_iterations", 1, 20);
          yield new JsonObject().put("type", type).put("outcome_id", dev.junction.store.Ids.next("outc", nowMillis))
              .put("description", description).put("rubric", r).put("max_iterations", max == null ? 3 : max);
        }
        default -> throw new IllegalStateException("unhandled client event type " + type);
      });
    }
    checkSystemMessages(out, path);
    return out;
  }

  /** MA: at most one system.message, last, right after the user event it accompanies. */
  private static void checkSystemMessages(List<JsonObject> events, String path) {
    for (int i = 0; i < events.size(); i++) {
      if (!"system.message".equals(events.get(i).getString("type"))) {
        continue;
      }
      if (i != events.size() - 1) {
        throw ApiError.invalid(path + "[" + i + "]: system.message must be the last event of the request (at most one per request)");
      }
      if (i == 0 || !FOLLOWED_BY_SYSTEM.contains(events.get(i - 1).getString("type"))) {
        throw ApiError.invalid(path + "[" + i + "]: system.message must immediately follow a user.message, "
            + "user.tool_result or user.custom_tool_result");
      }
    }
  }

  static JsonArray content(JsonObject e, String p, boolean required) {
    JsonArray content = Fields.optionalArray(e, p, "content", 1000);
    if (content == null) {
      if (required) {
        throw ApiError.invalid(p + ".content: required");
      }
      return new JsonArray();
    }
    if (required && content.isEmpty()) {
      throw ApiError.invalid(p + ".content: must contain at least one block");
    }
    String cp = p + ".content";
    for (int i = 0; i < content.size(); i++) {
      String bp = cp + "[" + i + "]";
      JsonObject b = Fields.objectAt(content, cp, i);
      String type = Fields.requiredString(b, bp, "type", 1, 64);
      if (!BLOCK_TYPES.contains(type)) {
        throw ApiError.invalid(bp + ".type: unknown content block type '" + type + "'; expected one of " + new java.util.TreeSet<>(BLOCK_TYPES));
      }
      switch (type) {
        case "text" -> {
          if (!(b.getValue("text") instanceof String)) {
            throw b.containsKey("text") ? Fields.typeError(bp + ".text", "a string", b.getValue("text"))
                : ApiError.invalid(bp + ".text: required");
          }
        }
        case "image" -> source(b, bp, Set.of("base64", "url", "file"));
        case "document" -> source(b, bp, Set.of("base64", "text", "url", "file"));
        default -> {
          Fields.requiredObject(b, bp, "source");
          Fields.requiredString(b, bp, "title", 0, 10_000);
          Fields.optionalArray(b, bp, "content", 1000);
        }
      }
    }
    return content;
  }

  private static void source(JsonObject b, String bp, Set<String> types) {
    JsonObject src = Fields.requiredObject(b, bp, "source");
    String st = Fields.oneOf(src, bp + ".source", "type", types, true);
    switch (st) {
      case "base64", "text" -> {
        Fields.requiredString(src, bp + ".source", "media_type", 1, 128);
        Fields.requiredString(src, bp + ".source", "data", 0, Integer.MAX_VALUE);
      }
      case "url" -> Fields.requiredString(src, bp + ".source", "url", 1, 8192);
      default -> Fields.requiredString(src, bp + ".source", "file_id", 1, 256);
    }
  }
}
