package dev.junction.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.testing.Fixtures;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A body parsed with its members' places reads as Vert.x reads it, and an edited copy cut from
 * its bytes means what editing the parsed object would.
 */
class JsonMembersTest {

  private static final List<String> BODIES = List.of(
      Fixtures.bytes("requests/anthropic_messages_request.json").toString(),
      Fixtures.bytes("requests/openai_chat_request.json").toString(),
      Fixtures.bytes("requests/openai_responses_request.json").toString(),
      "{\"model\":\"m\",\"n\":1,\"big\":12345678901234,\"huge\":123456789012345678901234567890,\"f\":1.5e3,"
          + "\"t\":true,\"x\":false,\"z\":null,\"s\":\"\\u00e9\\n\\\"q\\\" 日本\",\"a\":[[],{},[1,{\"b\":[null]}]],\"o\":{}}",
      " \n{ \"model\" : \"m\" ,\n  \"stream\" :true , \"stream_options\": {\"include_usage\" : false} }\n ",
      "{}");

  @Test
  void parsesAsVertxDoes() {
    for (String body : BODIES) {
      JsonMembers members = JsonMembers.parse(Buffer.buffer(body));
      assertEquals(new JsonObject(body), members.json(), body);
      assertEquals(new JsonObject(body).encode(), members.json().encode(), "same value types: " + body);
    }
  }

  @Test
  void justTheObjectReadsAsVertxDoes() {
    for (String body : BODIES) {
      assertEquals(new JsonObject(body).encode(), JsonMembers.object(Buffer.buffer(body)).encode(), body);
    }
    assertNull(JsonMembers.object(Buffer.buffer("[1]")));
    assertThrows(DecodeException.class, () -> JsonMembers.object(Buffer.buffer("{\"a\":")));
  }

  @Test
  void valuesAreWrittenAsJson() {
    for (Object value : List.of("claude-haiku-4-5", "a\"b\\c", "tab\there", "caf\u00e9", "日本", 7, true)) {
      assertEquals(new JsonArray().add(value).encode(), "[" + JsonMembers.Json.of(value) + "]", String.valueOf(value));
    }
  }

  @Test
  void anEditedCopyMeansWhatEditingTheObjectWould() {
    for (String body : BODIES) {
      JsonObject expected = new JsonObject(body).put("model", "claude-haiku-4-5").put("added", new JsonArray().add(1));
      expected.remove("stream");
      expected.remove("messages");
      Buffer edited = JsonMembers.parse(Buffer.buffer(body)).with(
          Map.of("model", JsonMembers.Json.of("claude-haiku-4-5"), "added", Buffer.buffer("[1]")), Set.of("stream", "messages"));
      assertEquals(expected, new JsonObject(edited), body);
    }
  }

  @Test
  void membersKeptAreTheBytesThatCame() {
    String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"caf\\u00e9 1.50\"}],\"max_tokens\":1.0}";
    Buffer edited = JsonMembers.parse(Buffer.buffer(body)).with(Map.of("model", JsonMembers.Json.of("x")), Set.of());
    assertEquals("{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"caf\\u00e9 1.50\"}],\"max_tokens\":1.0}",
        edited.toString());
  }

  @Test
  void aRepeatedKeyIsEditedThroughTheParsedObjectWhereTheLastOneWins() {
    String body = "{\"model\":\"a\",\"stream\":true,\"model\":\"b\",\"seed\":1}";
    JsonMembers members = JsonMembers.parse(Buffer.buffer(body));
    assertEquals("b", members.json().getString("model"));
    JsonObject edited = new JsonObject(members.with(Map.of(), Set.of("stream")));
    assertEquals(new JsonObject().put("model", "b").put("seed", 1), edited);
  }

  @Test
  void notAnObjectOrNotJson() {
    assertNull(JsonMembers.parse(Buffer.buffer("[1,2]")));
    assertNull(JsonMembers.parse(Buffer.buffer("\"text\"")));
    for (String bad : List.of("{not json", "{\"a\":1} {", "{\"a\":1,}", "", "   ")) {
      assertThrows(DecodeException.class, () -> JsonMembers.parse(Buffer.buffer(bad)), bad);
    }
  }

  @Test
  void aSliceOfALargerBufferIsReadFromItsOwnStart() {
    Buffer outer = Buffer.buffer("xxxx{\"model\":\"m\",\"seed\":7}yyyy");
    JsonMembers members = JsonMembers.parse(outer.slice(4, outer.length() - 4));
    assertEquals(7, members.json().getInteger("seed"));
    assertTrue(members.with(Map.of("model", JsonMembers.Json.of("n")), Set.of()).toString()
        .equals("{\"model\":\"n\",\"seed\":7}"));
  }
}
