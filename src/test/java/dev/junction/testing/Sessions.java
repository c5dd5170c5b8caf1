package dev.junction.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** Reading and writing a session's events through the API, for tests that drive the agent loop. */
public final class Sessions {
  private Sessions() {
  }

  /** Every event of a session (up to 1,000), oldest first. */
  public static List<JsonObject> events(Http http, String session) {
    return http.get("/v1/sessions/" + session + "/events?limit=1000", Gateway.KEY).json().getJsonArray("data").stream()
        .map(o -> (JsonObject) o).toList();
  }

  public static long count(List<JsonObject> events, String type) {
    return events.stream().filter(e -> e.getString("type").equals(type)).count();
  }

  /** The text of the last {@code agent.message}. */
  public static String lastAgentText(List<JsonObject> events) {
    return events.stream().filter(e -> e.getString("type").equals("agent.message")).reduce((x, y) -> y).orElseThrow()
        .getJsonArray("content").getJsonObject(0).getString("text");
  }

  /** A send-events body with one {@code user.message}. */
  public static JsonObject userMessage(String text) {
    return new JsonObject().put("events", new JsonArray().add(new JsonObject().put("type", "user.message")
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", text)))));
  }
}
