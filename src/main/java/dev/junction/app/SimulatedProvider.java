package dev.junction.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model provider simulated on loopback for the demo: Anthropic Messages or OpenAI Chat
 * Completions (which local Qwen servers speak too), JSON or SSE, on the real wire formats. Its
 * {@link Mood} decides how it answers and can change between calls, so the demo can give a
 * provider an off day: overloaded, rate limited, or emitting tool calls that break the tool's schema.
 */
final class SimulatedProvider {
  /** How the provider answers its next calls. */
  enum Mood {
    HEALTHY, OVERLOADED, RATE_LIMITED, MALFORMED_TOOL_CALLS
  }

  /** Which wire format it speaks. */
  enum Wire {
    ANTHROPIC, OPENAI_CHAT
  }

  private final String label;
  private final Wire wire;
  private final HttpServer server;
  private final AtomicInteger calls = new AtomicInteger();
  private volatile Mood mood = Mood.HEALTHY;

  private SimulatedProvider(Vertx vertx, String label, Wire wire) {
    this.label = label;
    this.wire = wire;
    this.server = vertx.createHttpServer();
  }

  /** Starts on a free port of 127.0.0.1. */
  static Future<SimulatedProvider> start(Vertx vertx, String label, Wire wire) {
    SimulatedProvider p = new SimulatedProvider(vertx, label, wire);
    return p.server.requestHandler(p::handle).listen(0, "127.0.0.1").map(s -> p);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  String label() {
    return label;
  }

  void mood(Mood next) {
    mood = next;
  }

  Mood mood() {
    return mood;
  }

  /** Model calls received so far, answered or not. */
  int calls() {
    return calls.get();
  }

  Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      String path = req.path();
      boolean anthropic = wire == Wire.ANTHROPIC && path.endsWith("/messages");
      boolean chat = wire == Wire.OPENAI_CHAT && path.endsWith("/chat/completions");
      if (!anthropic && !chat) {
        // health and model-list probes: a live server that knows nothing else
        req.response().putHeader("content-type", "application/json").end("{\"status\":\"ok\",\"data\":[]}");
        return;
      }
      calls.incrementAndGet();
      JsonObject request = body.length() == 0 ? new JsonObject() : new JsonObject(body);
      answer(req, request, body.length());
    });
  }

  private void answer(HttpServerRequest req, JsonObject request, int requestBytes) {
    Mood now = mood;
    switch (now) {
      case OVERLOADED -> error(req, wire == Wire.ANTHROPIC ? 529 : 503, wire == Wire.ANTHROPIC
          ? anthropicError("overloaded_error", "Overloaded")
          : openAiError("server_error", "The server is overloaded. Please try again later."), null);
      case RATE_LIMITED -> error(req, 429, wire == Wire.ANTHROPIC
          ? anthropicError("rate_limit_error", "Number of requests has exceeded your rate limit")
          : openAiError("requests", "Rate limit reached for requests"), "2");
      case HEALTHY, MALFORMED_TOOL_CALLS -> {
        String model = request.getString("model", "model");
        // rough token counts: about four bytes a token, as a tokenizer would give for English JSON
        int inputTokens = Math.max(1, requestBytes / 4);
        boolean stream = request.getBoolean("stream", false);
        SimulatedReply reply = now == Mood.HEALTHY
            ? SimulatedReply.text(label + " here. " + answerTo(lastUserText(request)), inputTokens)
            : SimulatedReply.brokenToolCall(brokenToolName(request), inputTokens);
        Buffer out = switch (wire) {
          case ANTHROPIC -> stream ? reply.anthropicSse(model) : reply.anthropicJson(model);
          case OPENAI_CHAT -> stream ? reply.chatSse(model) : reply.chatJson(model);
        };
        req.response().putHeader("content-type", stream ? "text/event-stream" : "application/json").end(out);
      }
    }
  }

  private static void error(HttpServerRequest req, int status, JsonObject body, String retryAfter) {
    if (retryAfter != null) {
      req.response().putHeader("retry-after", retryAfter);
    }
    req.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toBuffer());
  }

  private static JsonObject anthropicError(String type, String message) {
    return new JsonObject().put("type", "error").put("error", new JsonObject().put("type", type).put("message", message));
  }

  private static JsonObject openAiError(String type, String message) {
    return new JsonObject().put("error", new JsonObject().put("message", message).put("type", type).putNull("param")
        .putNull("code"));
  }

  /** The first tool the request offers (a broken call needs a real tool to break), or a made-up one. */
  private static String brokenToolName(JsonObject request) {
    JsonArray tools = request.getJsonArray("tools", new JsonArray());
    if (tools.isEmpty()) {
      return "lookup_order";
    }
    JsonObject tool = tools.getJsonObject(0);
    // Anthropic names tools at the top level, Chat Completions under "function"
    return tool.containsKey("function") ? tool.getJsonObject("function").getString("name") : tool.getString("name");
  }

  private static String lastUserText(JsonObject request) {
    JsonArray messages = request.getJsonArray("messages", new JsonArray());
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonObject m = messages.getJsonObject(i);
      if (!"user".equals(m.getString("role"))) {
        continue;
      }
      Object content = m.getValue("content");
      if (content instanceof String s) {
        return s;
      }
      if (content instanceof JsonArray blocks) {
        for (int j = blocks.size() - 1; j >= 0; j--) {
          JsonObject b = blocks.getJsonObject(j);
          if ("text".equals(b.getString("type"))) {
            return b.getString("text");
          }
        }
      }
    }
    return "";
  }

  private static String answerTo(String question) {
    String q = question.strip();
    if (q.isEmpty()) {
      return "How can I help?";
    }
    String quoted = q.length() > 80 ? q.substring(0, 77) + "..." : q;
    return "This is a simulated answer to \"" + quoted + "\".";
  }
}
