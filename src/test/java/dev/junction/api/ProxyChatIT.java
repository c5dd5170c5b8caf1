package dev.junction.api;

import dev.junction.testing.FakeUpstream.Reply;
import dev.junction.testing.Gateway;
import dev.junction.testing.Http;
import dev.junction.testing.SseReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Raw OpenAI-shaped requests against {@code /v1/chat/completions}, to an OpenAI target (same
 * protocol) and to an Anthropic target (translated both ways, tool calls included), and an
 * Anthropic caller's tool history reaching an OpenAI target.
 */
class ProxyChatIT {
  private ProxyRig rig;
  private Http http;

  @BeforeEach
  void start() throws Exception {
    rig = ProxyRig.start();
    http = rig.http;
  }

  @AfterEach
  void stop() throws Exception {
    rig.close();
  }

  static Http.Reply postBearer(Http http, String path, JsonObject body) {
    return http.send(http.request(path).header("authorization", "Bearer " + Gateway.KEY)
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build());
  }

  static List<SseReader.Frame> stream(Http http, String path, JsonObject body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = http.request(path).header("authorization", "Bearer " + Gateway.KEY)
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    headers.forEach(b::header);
    HttpResponse<InputStream> resp = http.client().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, resp.statusCode());
    assertTrue(resp.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    List<SseReader.Frame> frames = new ArrayList<>();
    try (SseReader sse = new SseReader(resp.body())) {
      for (SseReader.Frame f = sse.next(10_000); f != null && (f.event() != null || f.data() != null); f = sse.next(10_000)) {
        frames.add(f);
      }
    }
    return frames;
  }

  private static JsonObject weatherTool() {
    return new JsonObject().put("type", "function").put("function", new JsonObject().put("name", "get_weather")
        .put("description", "Weather for a place").put("parameters", new JsonObject().put("type", "object")
            .put("properties", new JsonObject().put("location", new JsonObject().put("type", "string")))
            .put("required", new JsonArray().add("location"))));
  }

  /** A conversation that already went through one tool call, in OpenAI's shape. */
  private static JsonArray toolHistory() {
    return new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", "You are terse."))
        .add(new JsonObject().put("role", "user").put("content", "Weather in Paris and Tokyo?"))
        .add(new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", new JsonArray()
            .add(new JsonObject().put("id", "call_1").put("type", "function").put("function",
                new JsonObject().put("name", "get_weather").put("arguments", "{\"location\":\"Paris\"}")))
            .add(new JsonObject().put("id", "call_2").put("type", "function").put("function",
                new JsonObject().put("name", "get_weather").put("arguments", "{\"location\":\"Tokyo\"}")))))
        .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_1").put("content", "18C"))
        .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_2").put("content", "22C"))
        .add(new JsonObject().put("role", "user").put("content", "And now London?"));
  }

  @Test
  void aChatCompletionFromAnOpenAiTargetKeepsItsTextAndUsage() {
    rig.openai.enqueue(Reply.fixture("openai-chat/completion_text.json"));
    JsonObject fixture = new JsonObject(dev.junction.testing.Fixtures.bytes("openai-chat/completion_text.json"));
    Http.Reply r = postBearer(http, "/v1/chat/completions", new JsonObject().put("model", "gpt-5.4")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi"))));
    assertEquals(200, r.status(), r.body());
    JsonObject body = r.json();
    assertEquals("chat.completion", body.getString("object"));
    JsonObject expected = fixture.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    assertEquals(expected.getString("content"), body.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"));
    assertEquals("stop", body.getJsonArray("choices").getJsonObject(0).getString("finish_reason"));
    assertEquals(fixture.getJsonObject("usage").getLong("prompt_tokens"), body.getJsonObject("usage").getLong("prompt_tokens"));
    assertEquals(fixture.getJsonObject("usage").getLong("completion_tokens"), body.getJsonObject("usage").getLong("completion_tokens"));
    assertEquals("openai/gpt-5.4", r.header("x-junction-target"));
    assertEquals("requested-openai", r.header("x-junction-route"));
    assertEquals("1", r.header("x-junction-attempts"));
    assertEquals("gpt-5.4", rig.openai.lastRequest().json().getString("model"));
    assertEquals("Bearer " + ProxyRig.OPENAI_KEY, rig.openai.lastRequest().header("authorization"));
  }

  @Test
  void aStreamedChatCompletionEndsWithUsageAndDone() throws Exception {
    rig.openai.enqueue(Reply.fixture("openai-chat/stream_text.sse"));
    List<SseReader.Frame> frames = stream(http, "/v1/chat/completions", new JsonObject().put("model", "gpt-5.4")
        .put("stream", true).put("stream_options", new JsonObject().put("include_usage", true))
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi"))), Map.of());
    assertEquals("[DONE]", frames.get(frames.size() - 1).data());
    StringBuilder text = new StringBuilder();
    String finish = null;
    JsonObject usage = null;
    for (SseReader.Frame f : frames.subList(0, frames.size() - 1)) {
      assertNull(f.event(), "Chat streams have data lines only");
      JsonObject chunk = f.json();
      assertEquals("chat.completion.chunk", chunk.getString("object"));
      JsonArray choices = chunk.getJsonArray("choices");
      if (choices.isEmpty()) {
        usage = chunk.getJsonObject("usage");
        continue;
      }
      JsonObject delta = choices.getJsonObject(0).getJsonObject("delta");
      text.append(delta.getString("content", ""));
      if (choices.getJsonObject(0).getString("finish_reason") != null) {
        finish = choices.getJsonObject(0).getString("finish_reason");
      }
    }
    String fixture = dev.junction.testing.Fixtures.bytes("openai-chat/stream_text.sse").toString();
    StringBuilder expected = new StringBuilder();
    for (String line : fixture.split("\n")) {
      if (line.startsWith("data: {")) {
        JsonArray choices = new JsonObject(line.substring(6)).getJsonArray("choices");
        if (!choices.isEmpty()) {
          expected.append(choices.getJsonObject(0).getJsonObject("delta").getString("content", ""));
        }
      }
    }
    assertTrue(expected.length() > 0);
    assertEquals(expected.toString(), text.toString());
    assertEquals("stop", finish);
    assertTrue(usage != null && usage.getLong("completion_tokens") > 0, "usage chunk with choices:[] before [DONE]");
    assertTrue(rig.openai.lastRequest().json().getBoolean("stream"));
  }

  @Test
  void withoutIncludeUsageNoUsageChunkIsSent() throws Exception {
    rig.openai.enqueue(Reply.fixture("openai-chat/stream_text.sse"));
    List<SseReader.Frame> frames = stream(http, "/v1/chat/completions", new JsonObject().put("model", "gpt-5.4")
        .put("stream", true).put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi"))),
        Map.of());
    assertEquals("[DONE]", frames.get(frames.size() - 1).data());
    for (SseReader.Frame f : frames.subList(0, frames.size() - 1)) {
      assertTrue(!f.json().getJsonArray("choices").isEmpty());
    }
  }

  @Test
  void toolCallsRoundTripThroughAnAnthropicTarget() {
    rig.anthropic.enqueue(Reply.fixture("anthropic/message_tool_use.json"));
    Http.Reply r = postBearer(http, "/v1/chat/completions", new JsonObject().put("model", "claude-sonnet-4-6")
        .put("max_tokens", 512).put("tools", new JsonArray().add(weatherTool())).put("messages", toolHistory()));
    assertEquals(200, r.status(), r.body());
    JsonObject message = r.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    JsonArray calls = message.getJsonArray("tool_calls");
    assertEquals(2, calls.size());
    assertEquals("toolu_01A09q90qw90lq917835lq9", calls.getJsonObject(0).getString("id"));
    assertEquals("get_weather", calls.getJsonObject(0).getJsonObject("function").getString("name"));
    JsonObject args = new JsonObject(calls.getJsonObject(0).getJsonObject("function").getString("arguments"));
    assertTrue(args.getString("location").startsWith("Paris"), args.encode());
    assertEquals("tool_calls", r.json().getJsonArray("choices").getJsonObject(0).getString("finish_reason"));

    JsonObject sent = rig.anthropic.lastRequest().json();
    assertEquals("You are terse.", sent.getString("system"));
    assertEquals(512, sent.getInteger("max_tokens"));
    assertEquals("get_weather", sent.getJsonArray("tools").getJsonObject(0).getString("name"));
    assertEquals("object", sent.getJsonArray("tools").getJsonObject(0).getJsonObject("input_schema").getString("type"));
    JsonArray messages = sent.getJsonArray("messages");
    assertEquals(3, messages.size(), messages.encode());
    JsonArray assistant = messages.getJsonObject(1).getJsonArray("content");
    assertEquals("tool_use", assistant.getJsonObject(0).getString("type"));
    assertEquals("call_1", assistant.getJsonObject(0).getString("id"));
    assertEquals("Paris", assistant.getJsonObject(0).getJsonObject("input").getString("location"));
    JsonArray results = messages.getJsonObject(2).getJsonArray("content");
    assertEquals("tool_result", results.getJsonObject(0).getString("type"));
    assertEquals("call_1", results.getJsonObject(0).getString("tool_use_id"));
    assertEquals("call_2", results.getJsonObject(1).getString("tool_use_id"));
    assertEquals("And now London?", results.getJsonObject(2).getString("text"));
  }

  @Test
  void streamedToolCallsFromAnAnthropicTargetArriveAsIndexedFragments() throws Exception {
    rig.anthropic.enqueue(Reply.fixture("anthropic/stream_tool_use.sse"));
    List<SseReader.Frame> frames = stream(http, "/v1/chat/completions", new JsonObject().put("model", "claude-sonnet-4-6")
        .put("stream", true).put("tools", new JsonArray().add(weatherTool()))
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Weather?"))), Map.of());
    assertEquals("[DONE]", frames.get(frames.size() - 1).data());
    Map<Integer, String> ids = new TreeMap<>();
    Map<Integer, StringBuilder> arguments = new TreeMap<>();
    String finish = null;
    for (SseReader.Frame f : frames.subList(0, frames.size() - 1)) {
      JsonObject choice = f.json().getJsonArray("choices").getJsonObject(0);
      JsonArray calls = choice.getJsonObject("delta").getJsonArray("tool_calls");
      if (calls != null) {
        for (int i = 0; i < calls.size(); i++) {
          JsonObject call = calls.getJsonObject(i);
          int index = call.getInteger("index");
          if (call.getString("id") != null) {
            ids.put(index, call.getString("id"));
            assertEquals("get_weather", call.getJsonObject("function").getString("name"));
          }
          arguments.computeIfAbsent(index, k -> new StringBuilder()).append(call.getJsonObject("function").getString("arguments", ""));
        }
      }
      if (choice.getString("finish_reason") != null) {
        finish = choice.getString("finish_reason");
      }
    }
    assertEquals(Map.of(0, "toolu_01A09q90qw90lq917835lq9", 1, "toolu_01Bq7cF2Z8kLmN4pR6sT9vWx"), ids);
    assertEquals("Paris, France", new JsonObject(arguments.get(0).toString()).getString("location"));
    assertEquals("Tokyo, Japan", new JsonObject(arguments.get(1).toString()).getString("location"));
    assertEquals("tool_calls", finish);
  }

  @Test
  void anAnthropicCallersToolHistoryReachesAnOpenAiTargetWithItsIds() {
    rig.openai.enqueue(Reply.fixture("openai-chat/completion_text.json"));
    JsonObject request = new JsonObject().put("model", "gpt-5.4").put("max_tokens", 256)
        .put("tools", new JsonArray().add(new JsonObject().put("name", "get_weather")
            .put("input_schema", new JsonObject().put("type", "object"))))
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "user").put("content", "Weather in Paris?"))
            .add(new JsonObject().put("role", "assistant").put("content", new JsonArray()
                .add(new JsonObject().put("type", "text").put("text", "Checking."))
                .add(new JsonObject().put("type", "tool_use").put("id", "toolu_abc").put("name", "get_weather")
                    .put("input", new JsonObject().put("location", "Paris")))))
            .add(new JsonObject().put("role", "user").put("content", new JsonArray()
                .add(new JsonObject().put("type", "tool_result").put("tool_use_id", "toolu_abc").put("content", "18C")))));
    Http.Reply r = http.post("/v1/messages", Gateway.KEY, request);
    assertEquals(200, r.status(), r.body());
    assertEquals("message", r.json().getString("type"));
    JsonArray messages = rig.openai.lastRequest().json().getJsonArray("messages");
    JsonObject assistant = messages.getJsonObject(1);
    assertEquals("Checking.", assistant.getString("content"));
    JsonObject call = assistant.getJsonArray("tool_calls").getJsonObject(0);
    assertEquals("toolu_abc", call.getString("id"));
    assertEquals("Paris", new JsonObject(call.getJsonObject("function").getString("arguments")).getString("location"));
    assertEquals("tool", messages.getJsonObject(2).getString("role"));
    assertEquals("toolu_abc", messages.getJsonObject(2).getString("tool_call_id"));
    assertEquals("18C", messages.getJsonObject(2).getString("content"));
  }
}
