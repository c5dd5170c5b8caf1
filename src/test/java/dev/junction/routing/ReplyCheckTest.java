package dev.junction.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.provider.ContentBlock;
import dev.junction.provider.FailureClass;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.StopReason;
import dev.junction.provider.ToolDefinition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyCheckTest {
  private static final JsonObject SCHEMA = new JsonObject("""
      {"type":"object","required":["path","mode"],
       "properties":{"path":{"type":"string"},"mode":{"enum":["r","w"]},"lines":{"type":"integer"},
         "tags":{"type":"array","items":{"type":"string"}},
         "opts":{"type":"object","required":["depth"],"properties":{"depth":{"type":["integer","null"]}}}}}""");
  private static final List<ToolDefinition> TOOLS = List.of(new ToolDefinition("open", "Open a file", SCHEMA));

  private static ModelResponse reply(ContentBlock... blocks) {
    return new ModelResponse("m", "model", List.of(blocks), StopReason.END_TURN, null, null);
  }

  private static ContentBlock.ToolUse call(String name, JsonObject input) {
    return new ContentBlock.ToolUse("toolu_1", name, input);
  }

  @Test
  void shouldAcceptWellFormedReplies() {
    assertNull(ReplyCheck.problem(reply(new ContentBlock.Text("Done.")), TOOLS));
    assertNull(ReplyCheck.problem(reply(call("open", new JsonObject("""
        {"path":"a.txt","mode":"r","lines":10.0,"tags":["x"],"opts":{"depth":null},"extra":true}"""))), TOOLS));
    assertNull(ReplyCheck.problem(reply(call("anything", new JsonObject())), List.of()),
        "without tool definitions there is nothing to check against");
  }

  @Test
  void shouldFlagEmptyReplies() {
    assertEquals("empty reply: no text and no tool call", ReplyCheck.problem(reply(), TOOLS));
    assertTrue(ReplyCheck.problem(reply(new ContentBlock.Text("  \n"), new ContentBlock.Thinking("hmm", null)),
        TOOLS).startsWith("empty reply"));
  }

  @Test
  void shouldFlagToolCallsThatFailTheirSchema() {
    assertTrue(ReplyCheck.problem(reply(call("open", new JsonObject().put("path", "a"))), TOOLS)
        .contains("missing required property 'mode'"));
    assertTrue(ReplyCheck.problem(reply(call("open", new JsonObject().put("path", 3).put("mode", "r"))), TOOLS)
        .contains("$.path: expected string, got number"));
    assertTrue(ReplyCheck.problem(reply(call("open", new JsonObject().put("path", "a").put("mode", "x"))), TOOLS)
        .contains("$.mode: x is not one of"));
    assertTrue(ReplyCheck.problem(reply(call("open", new JsonObject().put("path", "a").put("mode", "r")
        .put("lines", 2.5))), TOOLS).contains("$.lines: expected integer"));
    assertTrue(ReplyCheck.problem(reply(call("open", new JsonObject().put("path", "a").put("mode", "r")
        .put("tags", new JsonArray().add("ok").add(7)))), TOOLS).contains("$.tags[1]: expected string"));
    assertTrue(ReplyCheck.problem(reply(call("open", new JsonObject().put("path", "a").put("mode", "r")
        .put("opts", new JsonObject().put("depth", "deep")))), TOOLS).contains("$.opts.depth: expected [\"integer\",\"null\"]"));
    assertTrue(ReplyCheck.problem(reply(call("delete", new JsonObject())), TOOLS).contains("was not offered"));
  }

  @Test
  void shouldPickTheMostTellingFailureClass() {
    Target t = new Target("t", "p", "m", null);
    java.util.function.Function<FailureClass, Attempt> failed = c ->
        new Attempt(t, AttemptResult.FAILED, c, java.time.Duration.ZERO, 0, false, null);
    assertEquals(FailureClass.OVERLOADED, AllTargetsFailedException.mostTelling(List.of(
        failed.apply(FailureClass.SERVER),
        failed.apply(FailureClass.OVERLOADED)), null), "ties go to what says come back");
    assertEquals(FailureClass.TIMEOUT, AllTargetsFailedException.mostTelling(List.of(
        failed.apply(FailureClass.TIMEOUT),
        failed.apply(FailureClass.TIMEOUT),
        failed.apply(FailureClass.RATE_LIMITED)), null), "the most frequent");
    assertEquals(FailureClass.CALLER_FAULT, AllTargetsFailedException.mostTelling(List.of(
        failed.apply(FailureClass.OVERLOADED),
        failed.apply(FailureClass.CALLER_FAULT)), null), "what ended the run");
    assertEquals(FailureClass.RATE_LIMITED,
        AllTargetsFailedException.mostTelling(List.of(), FailureClass.RATE_LIMITED),
        "nothing attempted: the skipped targets' reason");
    AllTargetsFailedException e = new AllTargetsFailedException("x", new Routing("r", Strategy.ORDERED, null,
        List.of(), List.of(), false), FailureClass.RATE_LIMITED, null, null);
    assertEquals("model_rate_limited_error", e.maErrorType());
    assertTrue(e.retryLater());
  }
}
