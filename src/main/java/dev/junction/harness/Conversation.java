package dev.junction.harness;

import dev.junction.provider.CanonicalJson;
import dev.junction.provider.ContentBlock;
import dev.junction.provider.Message;
import dev.junction.provider.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A session's event log folded into what the runner needs to decide its next step: the model context
 * (with tool uses and results paired the way every provider requires), the tool calls still open and
 * what each waits for, the status, and whether the client has said anything since the session last
 * went idle. Pure: the same log always folds to the same conversation.
 */
public final class Conversation {

  /** A tool call the model made that has no result yet. */
  public record OpenTool(String eventId, String kind, String name, JsonObject input, String permission,
                         String confirmation, String denyMessage) {
    /** Built-in call the runner may execute now. */
    public boolean runnable() {
      return kind.equals("agent.tool_use") && ("allow".equals(permission) || "allow".equals(confirmation));
    }

    /** Built-in call the client refused; the runner answers it with the deny message. */
    public boolean denied() {
      return "deny".equals(confirmation) || "deny".equals(permission);
    }

    /** Waits for the client: a confirmation, or a custom tool's result. */
    public boolean blocked() {
      return !runnable() && !denied();
    }
  }

  private record Entry(Role role, ContentBlock block, long seq) {
  }

  private final List<Message> messages;
  private final List<String> system;
  private final List<OpenTool> open;
  private final String status;
  private final boolean inputSinceIdle;
  private final boolean interruptPending;
  private final int retriesSinceSuccess;
  private final long lastSeq;
  private final JsonObject lastIdle;
  private final long lastAssistantSeq;
  private final long lastInputSeq;

  private Conversation(List<Message> messages, List<String> system, List<OpenTool> open, String status,
                       boolean inputSinceIdle, boolean interruptPending, int retriesSinceSuccess, long lastSeq,
                       JsonObject lastIdle, long lastAssistantSeq, long lastInputSeq) {
    this.messages = messages;
    this.system = system;
    this.open = open;
    this.status = status;
    this.inputSinceIdle = inputSinceIdle;
    this.interruptPending = interruptPending;
    this.retriesSinceSuccess = retriesSinceSuccess;
    this.lastSeq = lastSeq;
    this.lastIdle = lastIdle;
    this.lastAssistantSeq = lastAssistantSeq;
    this.lastInputSeq = lastInputSeq;
  }

  /**
   * @param events the whole log in sequence order, each with its {@code seq} under key {@code _seq}
   */
  public static Conversation fold(List<JsonObject> events) {
    Fold fold = new Fold();
    for (JsonObject e : events) {
      fold.add(e, e.getLong("_seq", 0L));
    }
    return fold.conversation();
  }

  /**
   * The fold as a running state: events are added one at a time as they are committed, and a
   * conversation is taken when a step needs one, so a step costs the events that are new rather than
   * the whole log. The added events are read, never modified; they may be shared with the store's
   * cache and the streams. Not thread-safe: one runner at a time owns a fold.
   */
  static final class Fold {
    private final List<Entry> entries = new ArrayList<>();
    private final List<String> system = new ArrayList<>();
    /**
     * The name of every tool use by id, for results whose use was compacted away: the name only, not
     * the event, which a long session would otherwise keep whole for every tool call it made.
     */
    private final Map<String, String> toolNames = new HashMap<>();
    /** Tool uses without a result and not cancelled, in the order the model made them. */
    private final Map<String, JsonObject> unanswered = new LinkedHashMap<>();
    private final Set<String> answered = new HashSet<>();
    private final Map<String, JsonObject> confirmations = new HashMap<>();
    private final Set<String> cancelled = new HashSet<>();
    private String status = "idle";
    private boolean inputSinceIdle;
    private boolean interruptSinceRunning;
    private int retries;
    private long lastSeq;
    private JsonObject lastIdle;
    private long lastInput;
    private long lastAssistant;
    private int added;
    // User messages that arrive while a model call is in flight come after its answer in the context.
    private List<ContentBlock> duringCall;
    /** The conversation as of the last event added; taken once, until the next event. */
    private Conversation taken;

    /** Sequence of the last event added (0 before any). */
    long lastSeq() {
      return lastSeq;
    }

    /** Events added so far: how much this fold holds, roughly. */
    int size() {
      return added;
    }

    void add(JsonObject e, long seq) {
      taken = null;
      added++;
      lastSeq = Math.max(lastSeq, seq);
      String type = e.getString("type");
      if (type.startsWith("user.") && !type.equals("user.interrupt")) {
        lastInput = Math.max(lastInput, seq);
      }
      switch (type) {
        case "user.message" -> {
          inputSinceIdle = true;
          for (ContentBlock b : blocks(e.getJsonArray("content"))) {
            if (duringCall != null) {
              duringCall.add(b);
            } else {
              entry(Role.USER, b, seq);
            }
          }
        }
        case "span.model_request_start" -> duringCall = new ArrayList<>();
        case "system.message" -> {
          for (Object o : e.getJsonArray("content", new JsonArray())) {
            if (o instanceof JsonObject b && "text".equals(b.getString("type"))) {
              system.add(b.getString("text"));
            }
          }
        }
        case "agent.message" -> {
          for (ContentBlock b : blocks(e.getJsonArray("content"))) {
            entry(Role.ASSISTANT, b, seq);
          }
        }
        case "agent.tool_use", "agent.custom_tool_use", "agent.mcp_tool_use" -> {
          String id = e.getString("id");
          toolNames.put(id, e.getString("name"));
          if (!answered.contains(id) && !cancelled.contains(id)) {
            unanswered.put(id, e);
          }
          entry(Role.ASSISTANT, new ContentBlock.ToolUse(id, e.getString("name"), e.getJsonObject("input", new JsonObject())), seq);
        }
        case "agent.tool_result", "agent.mcp_tool_result", "user.custom_tool_result", "user.tool_result" -> {
          if (type.startsWith("user.")) {
            inputSinceIdle = true;
          }
          String useId = e.getString(switch (type) {
            case "agent.mcp_tool_result" -> "mcp_tool_use_id";
            case "user.custom_tool_result" -> "custom_tool_use_id";
            default -> "tool_use_id";
          });
          if (answered.add(useId)) {
            unanswered.remove(useId);
            entry(Role.USER, new ContentBlock.ToolResult(useId, blocks(e.getJsonArray("content")),
                e.getBoolean("is_error", false), null), seq);
          }
        }
        case "user.tool_confirmation" -> {
          inputSinceIdle = true;
          confirmations.put(e.getString("tool_use_id"), e);
        }
        case "user.interrupt" -> {
          if (!"idle".equals(status)) {
            interruptSinceRunning = true;
          }
        }
        case "agent.thread_context_compacted" -> {
          String summary = e.getString("summary");
          Long through = e.getLong("compacted_through_seq");
          if (summary != null && through != null) {
            entries.removeIf(x -> x.seq <= through);
            entries.add(0, new Entry(Role.USER, new ContentBlock.Text(
                "Summary of the earlier part of this conversation:\n" + summary), through));
            lastAssistant = 0;
            for (Entry x : entries) {
              if (x.role == Role.ASSISTANT) {
                lastAssistant = Math.max(lastAssistant, x.seq);
              }
            }
          }
        }
        case "session.status_running" -> {
          status = "running";
          interruptSinceRunning = false;
        }
        case "session.status_rescheduled" -> status = "rescheduling";
        case "session.status_terminated" -> status = "terminated";
        case "session.status_idle" -> {
          status = "idle";
          inputSinceIdle = false;
          lastIdle = e;
          if (interruptSinceRunning) {
            // Tool calls left open by an interrupted turn never run; the model is told so next turn.
            cancelled.addAll(unanswered.keySet());
            unanswered.clear();
          }
          interruptSinceRunning = false;
        }
        case "session.error" -> {
          JsonObject rs = e.getJsonObject("error", new JsonObject()).getJsonObject("retry_status", new JsonObject());
          if ("retrying".equals(rs.getString("type"))) {
            retries++;
          }
        }
        case "span.model_request_end" -> {
          if (!e.getBoolean("is_error", false)) {
            retries = 0;
          }
          if (duringCall != null) {
            for (ContentBlock b : duringCall) {
              entry(Role.USER, b, seq);
            }
          }
          duringCall = null;
        }
        default -> {
          // Spans, usage, thinking and status events of threads carry nothing for the context.
        }
      }
    }

    private void entry(Role role, ContentBlock block, long seq) {
      entries.add(new Entry(role, block, seq));
      if (role == Role.ASSISTANT) {
        lastAssistant = Math.max(lastAssistant, seq);
      }
    }

    /** The conversation as of the events added so far. */
    Conversation conversation() {
      if (taken == null) {
        List<OpenTool> open = new ArrayList<>(unanswered.size());
        for (Map.Entry<String, JsonObject> t : unanswered.entrySet()) {
          JsonObject use = t.getValue();
          JsonObject conf = confirmations.get(t.getKey());
          open.add(new OpenTool(t.getKey(), use.getString("type"), use.getString("name"), use.getJsonObject("input", new JsonObject()),
              use.getString("evaluated_permission"), conf == null ? null : conf.getString("result"),
              conf == null ? null : conf.getString("deny_message")));
        }
        taken = new Conversation(pair(entries, toolNames, cancelled), List.copyOf(system), List.copyOf(open), status,
            inputSinceIdle, interruptSinceRunning, retries, lastSeq, lastIdle, lastAssistant, lastInput);
      }
      return taken;
    }
  }

  private static List<ContentBlock> blocks(JsonArray content) {
    List<ContentBlock> out = new ArrayList<>();
    if (content == null) {
      return out;
    }
    for (Object o : content) {
      if (!(o instanceof JsonObject b)) {
        continue;
      }
      String type = b.getString("type");
      if ("text".equals(type)) {
        if (!b.getString("text", "").isEmpty()) {
          out.add(new ContentBlock.Text(b.getString("text")));
        }
      } else if ("image".equals(type) || "document".equals(type)) {
        out.add(CanonicalJson.decodeBlock(b));
      } else if ("search_result".equals(type)) {
        out.add(new ContentBlock.Text(b.encode()));
      }
    }
    return out;
  }

  /**
   * Merges entries into alternating messages and repairs pairing: every tool use is answered at the
   * start of the next user message (results that arrived later are moved there, missing ones are
   * answered with an error), and results whose tool use is gone (compacted) become plain text.
   */
  private static List<Message> pair(List<Entry> entries, Map<String, String> toolNames, Set<String> cancelled) {
    Set<String> presentUses = new HashSet<>();
    for (Entry e : entries) {
      if (e.block instanceof ContentBlock.ToolUse u) {
        presentUses.add(u.id());
      }
    }
    // Group by role; a tool result is a user block, so it separates the assistant turns around it.
    List<Role> roles = new ArrayList<>();
    List<List<ContentBlock>> contents = new ArrayList<>();
    for (Entry e : entries) {
      ContentBlock block = e.block;
      if (block instanceof ContentBlock.ToolResult r && !presentUses.contains(r.toolUseId())) {
        String name = toolNames.get(r.toolUseId());
        block = new ContentBlock.Text("[result of " + (name == null ? "a tool" : name) + "]\n" + r.joinedText());
      }
      if (roles.isEmpty() || roles.get(roles.size() - 1) != e.role) {
        roles.add(e.role);
        contents.add(new ArrayList<>());
      }
      contents.get(contents.size() - 1).add(block);
    }
    Map<String, ContentBlock.ToolResult> results = new HashMap<>();
    for (List<ContentBlock> c : contents) {
      c.removeIf(b -> {
        if (b instanceof ContentBlock.ToolResult r) {
          results.put(r.toolUseId(), r);
          return true;
        }
        return false;
      });
    }
    for (int i = 0; i < roles.size(); i++) {
      if (roles.get(i) != Role.ASSISTANT) {
        continue;
      }
      boolean last = i == roles.size() - 1;
      List<ContentBlock> answers = new ArrayList<>();
      for (ContentBlock b : contents.get(i)) {
        if (b instanceof ContentBlock.ToolUse u) {
          ContentBlock.ToolResult r = results.remove(u.id());
          if (r != null) {
            answers.add(r);
          } else if (!last || cancelled.contains(u.id())) {
            answers.add(new ContentBlock.ToolResult(u.id(), cancelled.contains(u.id())
                ? "The user interrupted before this tool call ran." : "No result was provided for this tool call.", true));
          }
        }
      }
      if (answers.isEmpty()) {
        continue;
      }
      if (i + 1 < roles.size()) {
        answers.addAll(contents.get(i + 1));
        contents.set(i + 1, answers);
      } else {
        roles.add(Role.USER);
        contents.add(answers);
      }
    }
    // Dropping emptied groups can leave two groups of one role side by side: merge them.
    List<Message> out = new ArrayList<>();
    Role role = null;
    List<ContentBlock> acc = null;
    for (int i = 0; i < roles.size(); i++) {
      if (contents.get(i).isEmpty()) {
        continue;
      }
      if (roles.get(i) == role) {
        acc.addAll(contents.get(i));
        continue;
      }
      if (acc != null) {
        out.add(new Message(role, acc));
      }
      role = roles.get(i);
      acc = new ArrayList<>(contents.get(i));
    }
    if (acc != null) {
      out.add(new Message(role, acc));
    }
    return List.copyOf(out);
  }

  /** The model context, alternating and correctly paired. */
  public List<Message> messages() {
    return messages;
  }

  /** Text of {@code system.message} events, to append to the agent's system prompt. */
  public List<String> systemAdditions() {
    return system;
  }

  public List<OpenTool> openTools() {
    return open;
  }

  public String status() {
    return status;
  }

  /** Whether the client sent input (message, result, confirmation) since the last idle. */
  public boolean inputSinceIdle() {
    return inputSinceIdle;
  }

  /** An interrupt arrived during the current turn and the turn has not idled yet. */
  public boolean interruptPending() {
    return interruptPending;
  }

  public int retriesSinceSuccess() {
    return retriesSinceSuccess;
  }

  public long lastSeq() {
    return lastSeq;
  }

  /** The latest {@code session.status_idle}, or null. */
  public JsonObject lastIdle() {
    return lastIdle;
  }

  /** Sequence of the latest client input (message, result, confirmation), 0 if none. */
  public long lastInputSeq() {
    return lastInputSeq;
  }

  /** Sequence of the latest event that put assistant content in the context (0 if none). */
  public long lastAssistantSeq() {
    return lastAssistantSeq;
  }

  /** A rough token count of the context: about four characters a token, as providers' tokenizers average. */
  public long estimatedTokens() {
    long chars = 0;
    for (String s : system) {
      chars += s.length();
    }
    for (Message m : messages) {
      for (ContentBlock b : m.content()) {
        if (b instanceof ContentBlock.Text t) {
          chars += t.text().length();
        } else if (b instanceof ContentBlock.ToolUse u) {
          chars += u.name().length() + u.input().toString().length();
        } else if (b instanceof ContentBlock.ToolResult r) {
          chars += r.joinedText().length() + 20;
        } else if (b instanceof ContentBlock.Thinking t) {
          chars += t.thinking().length();
        } else {
          // Images and documents: a flat allowance, as their token cost is not their byte size.
          chars += 6000;
        }
      }
    }
    return chars / 4;
  }

  /** Whether the context ends with something the model has not answered yet. */
  public boolean awaitingModel() {
    return !messages.isEmpty() && messages.get(messages.size() - 1).role() == Role.USER;
  }
}
