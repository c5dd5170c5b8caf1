package dev.junction.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;

/** Assertions on canonical values that read like the fixture they check. */
public final class Expect {
  private Expect() {
  }

  public static JsonObject weather(String location) {
    return new JsonObject().put("location", location).put("unit", "celsius");
  }

  public static void text(ContentBlock block, String text) {
    assertEquals(new ContentBlock.Text(text), block);
  }

  public static void toolUse(ContentBlock block, String id, String name, JsonObject input) {
    ContentBlock.ToolUse use = assertInstanceOf(ContentBlock.ToolUse.class, block);
    if (id != null) {
      assertEquals(id, use.id());
    }
    assertTrue(ToolIds.isValid(use.id()), "tool id must match the Anthropic pattern: " + use.id());
    assertEquals(name, use.name());
    assertEquals(input, use.input());
  }

  public static void thinking(ContentBlock block, String thinking, String signature) {
    ContentBlock.Thinking t = assertInstanceOf(ContentBlock.Thinking.class, block);
    assertEquals(thinking, t.thinking());
    if (signature == null) {
      assertNull(t.signature());
    } else {
      assertEquals(signature, t.signature());
    }
  }

  public static void usage(ModelResponse response, long input, long output, long cacheRead, long cacheWrite) {
    assertEquals(new Usage(input, output, cacheRead, cacheWrite), response.usage());
  }
}
