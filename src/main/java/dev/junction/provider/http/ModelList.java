package dev.junction.provider.http;

import dev.junction.provider.HttpFailures;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Model ids from a model-list reply: OpenAI-style {@code data[].id} or Ollama's {@code models[].name}. */
public final class ModelList {
  private ModelList() {
  }

  /** The ids, or an empty list when the body is not a model list. */
  public static List<String> ids(Buffer body) {
    JsonObject json = HttpFailures.jsonOrNull(body);
    if (json == null) {
      return List.of();
    }
    JsonArray list = json.getJsonArray("data", json.getJsonArray("models"));
    if (list == null) {
      return List.of();
    }
    List<String> models = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonObject model = list.getJsonObject(i);
      String id = model.getString("id", model.getString("name"));
      if (id != null) {
        models.add(id);
      }
    }
    return models;
  }
}
