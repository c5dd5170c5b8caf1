package dev.junction.provider.anthropic;

import dev.junction.provider.ContentBlock;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.ProviderException;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AnthropicReplyReaderTest {
  private static final Path FIXTURES = Path.of("src/test/resources/fixtures/upstreams/anthropic");

  /** Replies of the usual shape: the one-pass reader and the general path agree, field for field. */
  private static final List<String> USUAL = List.of(
      """
      {"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[
        {"type":"thinking","thinking":"Let me see.","signature":"sig=="},
        {"type":"redacted_thinking","data":"opaque"},
        {"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"q"}},
        {"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[{"type":"web_search_result","url":"u"}]},
        {"type":"text","text":"Found it.","citations":[{"type":"web_search_result_location","url":"u"}]},
        {"type":"tool_use","id":"toolu_1","name":"lookup","input":{"n":[1,2.5,{"deep":null}],"ok":true}}],
       "stop_reason":"tool_use","stop_sequence":null,
       "usage":{"input_tokens":12,"output_tokens":34,"cache_read_input_tokens":5,"cache_creation_input_tokens":6,
                "cache_creation":{"ephemeral_5m_input_tokens":6},"service_tier":"standard","server_tool_use":{"web_search_requests":1}}}
      """,
      """
      {"content":[{"type":"text","text":""},{"type":"thinking","thinking":"t","signature":""}],"stop_reason":"stop_sequence",
       "stop_sequence":"END","usage":null,"model":null}
      """,
      """
      {"type":"message","content":[{"type":"tool_use","id":"toolu_2","name":"noargs"}],"stop_reason":"some_new_reason",
       "usage":{"input_tokens":"many","output_tokens":3.9}}
      """,
      "{\"type\":\"message\",\"content\":[],\"stop_reason\":\"max_tokens\"}");

  /** Replies the reader leaves to the general path, which still decodes or refuses them. */
  private static final List<String> UNUSUAL = List.of(
      "{\"content\":[{\"type\":\"text\",\"text\":\"hi\",\"cache_control\":{\"type\":\"ephemeral\"}}]}",
      "{\"content\":[{\"text\":\"type comes second\",\"type\":\"text\"}]}",
      "{\"content\":[{\"type\":\"text\",\"text\":\"a\"}],\"model\":\"a\",\"model\":\"b\"}",
      "{\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"n\",\"input\":null}]}",
      "{\"content\":[{\"type\":\"text\",\"text\":null}]}",
      "{\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"AA==\"}}]}",
      "{\"content\":[{\"type\":\"text\",\"text\":\"a\"}],\"id\":7}",
      "{\"type\":\"error\",\"content\":[]}",
      "{\"content\":{\"type\":\"text\"}}",
      "{\"content\":[{\"type\":\"text\",\"text\":\"a\"}]} trailing",
      "[1,2]",
      "not json at all");

  @Test
  void theFixturesReadTheSameInOnePassAsThroughTheGeneralPath() throws Exception {
    for (String name : List.of("message_text.json", "message_tool_use.json")) {
      Buffer body = Buffer.buffer(Files.readString(FIXTURES.resolve(name)));
      ModelResponse usual = AnthropicReplyReader.read(body);
      assertNotNull(usual, name);
      assertEquals(AnthropicCodec.decodeGeneral(body), usual, name);
    }
  }

  @Test
  void everyBlockOfTheUsualShapeReadsAsTheGeneralPathReadsIt() {
    for (String json : USUAL) {
      Buffer body = Buffer.buffer(json);
      ModelResponse usual = AnthropicReplyReader.read(body);
      assertNotNull(usual, json);
      assertEquals(AnthropicCodec.decodeGeneral(body), usual, json);
      assertEquals(usual, AnthropicCodec.decode(body), json);
    }
    ModelResponse first = AnthropicReplyReader.read(Buffer.buffer(USUAL.get(0)));
    assertEquals(4, first.content().size(), "server-tool blocks are skipped, as the general path skips them");
    assertInstanceOf(ContentBlock.ToolUse.class, first.content().get(3));
    assertEquals(34, first.usage().outputTokens());
    assertEquals(3, AnthropicReplyReader.read(Buffer.buffer(USUAL.get(2))).usage().outputTokens());
  }

  @Test
  void anythingElseIsLeftToTheGeneralPathWhichDecodesOrRefusesItAsBefore() {
    for (String json : UNUSUAL) {
      Buffer body = Buffer.buffer(json);
      assertNull(AnthropicReplyReader.read(body), json);
      ModelResponse general;
      try {
        general = AnthropicCodec.decodeGeneral(body);
      } catch (ProviderException refused) {
        ProviderException again = assertThrows(ProviderException.class, () -> AnthropicCodec.decode(body), json);
        assertEquals(refused.getMessage(), again.getMessage(), json);
        continue;
      }
      assertEquals(general, AnthropicCodec.decode(body), json);
    }
    ContentBlock.Text cached = (ContentBlock.Text) AnthropicCodec.decode(Buffer.buffer(UNUSUAL.get(0))).content().get(0);
    assertNotNull(cached.cacheControl(), "the general path keeps what the reader does not read");
  }
}
