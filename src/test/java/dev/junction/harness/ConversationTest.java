package dev.junction.harness;

import dev.junction.provider.ContentBlock;
import dev.junction.provider.Message;
import dev.junction.provider.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConversationTest {
  private final List<JsonObject> log = new ArrayList<>();

  private JsonObject add(String type, String id) {
    JsonObject e = new JsonObject().put("type", type).put("id", id).put("_seq", (long) log.size() + 1);
    log.add(e);
    return e;
  }

  private void user(String text) {
    add("user.message", "u" + log.size()).put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", text)));
  }

  private void agentText(String text) {
    add("agent.message", "a" + log.size()).put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", text)));
  }

  private void toolUse(String id, String permission) {
    add("agent.tool_use", id).put("name", "bash").put("input", new JsonObject().put("command", "ls"))
        .put("evaluated_permission", permission);
  }

  private void toolResult(String useId, String text) {
    add("agent.tool_result", "r" + log.size()).put("tool_use_id", useId)
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", text))).put("is_error", false);
  }

  private static String text(Message m, int i) {
    return ((ContentBlock.Text) m.content().get(i)).text();
  }

  @Test
  void toolUsesArePairedWithTheirResultsInTheNextUserMessage() {
    user("list files");
    add("session.status_running", "s1");
    add("span.model_request_start", "sp1");
    agentText("Looking.");
    toolUse("t1", "allow");
    add("span.model_request_end", "sp2");
    toolResult("t1", "a.txt");
    Conversation c = Conversation.fold(log);
    List<Message> m = c.messages();
    assertEquals(3, m.size());
    assertEquals(Role.ASSISTANT, m.get(1).role());
    ContentBlock.ToolResult r = assertInstanceOf(ContentBlock.ToolResult.class, m.get(2).content().get(0));
    assertEquals("t1", r.toolUseId());
    assertEquals("a.txt", r.joinedText());
    assertTrue(c.awaitingModel());
    assertTrue(c.openTools().isEmpty());
  }

  @Test
  void messagesSentDuringAModelCallFollowItsAnswer() {
    user("one");
    add("session.status_running", "s1");
    add("span.model_request_start", "sp1");
    user("two");
    agentText("answer to one");
    add("span.model_request_end", "sp2");
    List<Message> m = Conversation.fold(log).messages();
    assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.USER), m.stream().map(Message::role).toList());
    assertEquals("two", text(m.get(2), 0));
  }

  @Test
  void aUserMessageBetweenAToolUseAndItsResultComesAfterTheResult() {
    user("go");
    add("session.status_running", "s1");
    toolUse("t1", "allow");
    user("also this");
    toolResult("t1", "done");
    List<Message> m = Conversation.fold(log).messages();
    assertEquals(3, m.size());
    assertInstanceOf(ContentBlock.ToolResult.class, m.get(2).content().get(0));
    assertEquals("also this", text(m.get(2), 1));
  }

  @Test
  void openToolsAreClassifiedByPermissionAndConfirmation() {
    user("go");
    add("session.status_running", "s1");
    toolUse("allowed", "allow");
    toolUse("asked", "ask");
    toolUse("confirmed", "ask");
    toolUse("refused", "ask");
    add("agent.custom_tool_use", "custom").put("name", "get_weather").put("input", new JsonObject());
    add("user.tool_confirmation", "c1").put("tool_use_id", "confirmed").put("result", "allow");
    add("user.tool_confirmation", "c2").put("tool_use_id", "refused").put("result", "deny").put("deny_message", "no");
    Conversation c = Conversation.fold(log);
    assertEquals(List.of("allowed", "confirmed"), c.openTools().stream().filter(Conversation.OpenTool::runnable)
        .map(Conversation.OpenTool::eventId).toList());
    assertEquals(List.of("refused"), c.openTools().stream().filter(Conversation.OpenTool::denied)
        .map(Conversation.OpenTool::eventId).toList());
    assertEquals(List.of("asked", "custom"), c.openTools().stream().filter(Conversation.OpenTool::blocked)
        .map(Conversation.OpenTool::eventId).toList());
    assertEquals("no", c.openTools().stream().filter(Conversation.OpenTool::denied).findFirst().orElseThrow().denyMessage());
  }

  @Test
  void anInterruptedTurnsOpenToolsAreCancelledAndAnsweredWithAnError() {
    user("go");
    add("session.status_running", "s1");
    toolUse("t1", "allow");
    add("user.interrupt", "i1");
    Conversation during = Conversation.fold(log);
    assertTrue(during.interruptPending());
    add("session.status_idle", "idle1").put("stop_reason", new JsonObject().put("type", "end_turn"));
    user("something else");
    Conversation after = Conversation.fold(log);
    assertFalse(after.interruptPending());
    assertTrue(after.openTools().isEmpty(), "the interrupted call never runs");
    List<Message> m = after.messages();
    ContentBlock.ToolResult r = assertInstanceOf(ContentBlock.ToolResult.class, m.get(2).content().get(0));
    assertTrue(r.isError());
    assertTrue(r.joinedText().contains("interrupted"));
    assertEquals("something else", text(m.get(2), 1));
  }

  @Test
  void anInterruptOnAnIdleSessionIsIgnored() {
    user("hi");
    add("session.status_running", "s1");
    agentText("hello");
    add("session.status_idle", "idle1").put("stop_reason", new JsonObject().put("type", "end_turn"));
    add("user.interrupt", "i1");
    Conversation c = Conversation.fold(log);
    assertFalse(c.interruptPending());
    assertFalse(c.inputSinceIdle());
    assertEquals("idle", c.status());
  }

  @Test
  void compactionReplacesEarlierContextWithItsSummary() {
    user("first question");
    agentText("first answer");
    long through = log.size();
    add("agent.thread_context_compacted", "k1").put("summary", "They asked a first question.").put("compacted_through_seq", through);
    user("second question");
    List<Message> m = Conversation.fold(log).messages();
    assertEquals(1, m.size());
    assertTrue(text(m.get(0), 0).contains("They asked a first question."));
    assertEquals("second question", text(m.get(0), 1));
  }

  @Test
  void aResultWhoseToolUseWasCompactedAwayIsTextNamingTheTool() {
    user("list files");
    agentText("Looking.");
    toolUse("t1", "allow");
    long through = log.size();
    add("agent.thread_context_compacted", "k1").put("summary", "They asked for the files.").put("compacted_through_seq", through);
    toolResult("t1", "a.txt");
    List<Message> m = Conversation.fold(log).messages();
    assertEquals(1, m.size());
    assertEquals(Role.USER, m.get(0).role());
    assertEquals("[result of bash]\na.txt", text(m.get(0), 1));
  }

  @Test
  void retriesCountFromTheLastSuccessfulModelCall() {
    user("hi");
    for (int i = 0; i < 2; i++) {
      add("session.error", "e" + i).put("error", new JsonObject().put("retry_status", new JsonObject().put("type", "retrying")));
    }
    assertEquals(2, Conversation.fold(log).retriesSinceSuccess());
    add("span.model_request_end", "end").put("is_error", false);
    assertEquals(0, Conversation.fold(log).retriesSinceSuccess());
  }
}
