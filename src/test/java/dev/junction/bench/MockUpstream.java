package dev.junction.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A fast loopback model server for benchmarks: Anthropic Messages and OpenAI Chat Completions, JSON
 * and SSE, with an optional fixed latency. Replies are encoded once at start; a request is routed by
 * a substring check, not a parse, so the mock costs as little as possible of the machine it shares.
 *
 * <p>Agent mode: an Anthropic request that offers a tool named {@code lookup} and whose last user
 * message carries no {@code tool_result} gets a {@code tool_use} of it; otherwise a short text answer.
 *
 * <pre>java -cp ... dev.junction.bench.MockUpstream [port=9901] [latencyMs=0]</pre>
 */
public final class MockUpstream {
  static final String TEXT = "The quick brown fox jumps over the lazy dog.";
  private static final Buffer ANTHROPIC_TEXT = anthropic(new JsonArray().add(new JsonObject().put("type", "text").put("text", TEXT)), "end_turn");
  private static final Buffer ANTHROPIC_TOOL = anthropic(new JsonArray()
      .add(new JsonObject().put("type", "tool_use").put("id", "toolu_01").put("name", "lookup")
          .put("input", new JsonObject().put("query", "order 1234"))), "tool_use");
  private static final Buffer ANTHROPIC_SSE = Buffer.buffer(anthropicSse());
  private static final Buffer OPENAI_TEXT = Buffer.buffer(new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion")
      .put("created", 1_700_000_000).put("model", "gpt-mock").put("choices", new JsonArray().add(new JsonObject().put("index", 0)
          .put("message", new JsonObject().put("role", "assistant").put("content", TEXT)).put("finish_reason", "stop")))
      .put("usage", new JsonObject().put("prompt_tokens", 25).put("completion_tokens", 10).put("total_tokens", 35)).encode());
  private static final Buffer OPENAI_SSE = Buffer.buffer(openAiSse());

  private MockUpstream() {
  }

  public static Future<HttpServer> start(Vertx vertx, String host, int port, long latencyMs) {
    return vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setCompressionSupported(false))
        .requestHandler(req -> req.body().onSuccess(body -> {
          if (latencyMs > 0) {
            vertx.setTimer(latencyMs, t -> answer(req, body));
          } else {
            answer(req, body);
          }
        })).listen(port, host);
  }

  private static void answer(HttpServerRequest req, Buffer body) {
    String path = req.path();
    String b = body.toString();
    boolean stream = b.contains("\"stream\":true");
    if (path.endsWith("/messages")) {
      if (stream) {
        req.response().putHeader("content-type", "text/event-stream").end(ANTHROPIC_SSE);
      } else {
        // A tool use unless the last user message already carries a tool result.
        int lastUser = b.lastIndexOf("\"role\":\"user\"");
        boolean tool = b.contains("\"name\":\"lookup\"") && (lastUser < 0 || b.indexOf("\"tool_result\"", lastUser) < 0);
        req.response().putHeader("content-type", "application/json").end(tool ? ANTHROPIC_TOOL : ANTHROPIC_TEXT);
      }
    } else if (path.endsWith("/chat/completions")) {
      req.response().putHeader("content-type", stream ? "text/event-stream" : "application/json")
          .end(stream ? OPENAI_SSE : OPENAI_TEXT);
    } else {
      req.response().putHeader("content-type", "application/json").end("{\"status\":\"ok\"}");
    }
  }

  private static Buffer anthropic(JsonArray content, String stop) {
    return Buffer.buffer(new JsonObject().put("id", "msg_mock").put("type", "message").put("role", "assistant")
        .put("model", "claude-mock").put("content", content).put("stop_reason", stop).putNull("stop_sequence")
        .put("usage", new JsonObject().put("input_tokens", 25).put("output_tokens", 10)).encode());
  }

  private static String anthropicSse() {
    StringBuilder sb = new StringBuilder();
    sse(sb, "message_start", new JsonObject().put("type", "message_start").put("message", new JsonObject().put("id", "msg_mock")
        .put("type", "message").put("role", "assistant").put("model", "claude-mock").put("content", new JsonArray())
        .putNull("stop_reason").putNull("stop_sequence").put("usage", new JsonObject().put("input_tokens", 25).put("output_tokens", 1))));
    sse(sb, "content_block_start", new JsonObject().put("type", "content_block_start").put("index", 0)
        .put("content_block", new JsonObject().put("type", "text").put("text", "")));
    for (String word : TEXT.split("(?<= )")) {
      sse(sb, "content_block_delta", new JsonObject().put("type", "content_block_delta").put("index", 0)
          .put("delta", new JsonObject().put("type", "text_delta").put("text", word)));
    }
    sse(sb, "content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", 0));
    sse(sb, "message_delta", new JsonObject().put("type", "message_delta").put("delta", new JsonObject()
        .put("stop_reason", "end_turn").putNull("stop_sequence")).put("usage", new JsonObject().put("output_tokens", 10)));
    sse(sb, "message_stop", new JsonObject().put("type", "message_stop"));
    return sb.toString();
  }

  private static void sse(StringBuilder sb, String event, JsonObject data) {
    sb.append("event: ").append(event).append("\ndata: ").append(data.encode()).append("\n\n");
  }

  private static String openAiSse() {
    StringBuilder sb = new StringBuilder();
    String[] words = TEXT.split("(?<= )");
    for (int i = 0; i < words.length; i++) {
      JsonObject delta = new JsonObject().put("content", words[i]);
      if (i == 0) {
        delta.put("role", "assistant");
      }
      sb.append("data: ").append(new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion.chunk")
          .put("created", 1_700_000_000).put("model", "gpt-mock").put("choices", new JsonArray().add(new JsonObject()
              .put("index", 0).put("delta", delta).putNull("finish_reason"))).encode()).append("\n\n");
    }
    sb.append("data: ").append(new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion.chunk")
        .put("created", 1_700_000_000).put("model", "gpt-mock").put("choices", new JsonArray().add(new JsonObject()
            .put("index", 0).put("delta", new JsonObject()).put("finish_reason", "stop")))
        .put("usage", new JsonObject().put("prompt_tokens", 25).put("completion_tokens", 10).put("total_tokens", 35)).encode())
        .append("\n\n");
    sb.append("data: [DONE]\n\n");
    return sb.toString();
  }

  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 9901;
    long latency = args.length > 1 ? Long.parseLong(args[1]) : 0;
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    start(vertx, "127.0.0.1", port, latency).onSuccess(s -> System.out.println("mock upstream on 127.0.0.1:" + s.actualPort()
        + " latency " + latency + " ms")).onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }
}
