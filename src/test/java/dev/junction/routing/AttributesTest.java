package dev.junction.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.junction.provider.CanonicalJson;
import dev.junction.provider.ModelRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The size estimate from a proxy caller's bytes: four bytes a token, base64 media a flat guess each. */
class AttributesTest {

  private static JsonObject image(int base64Chars) {
    return new JsonObject().put("type", "image").put("source", new JsonObject().put("type", "base64")
        .put("media_type", "image/png").put("data", "A".repeat(base64Chars)));
  }

  @Test
  void fourBytesOfJsonATokenWithMediaCountedFlat() {
    JsonObject body = new JsonObject().put("model", "m").put("max_tokens", 10).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "x".repeat(400))).add(image(40_000))))
        .add(new JsonObject().put("role", "assistant").put("content", "ok"))
        .add(new JsonObject().put("role", "user").put("content", new JsonArray().add(new JsonObject()
            .put("type", "tool_result").put("tool_use_id", "t").put("content", new JsonArray().add(image(8_000)))))));
    ModelRequest request = CanonicalJson.decodeRequest(body);
    long bytes = body.toBuffer().length();
    assertEquals((bytes - 48_000 + 3) / 4 + 2 * 1500, Attributes.estimateTokens(request, bytes));
    assertEquals(Attributes.estimateTokens(request, bytes), Attributes.of(request, Attributes.estimateTokens(request, bytes))
        .estimatedInputTokens());
  }
}
