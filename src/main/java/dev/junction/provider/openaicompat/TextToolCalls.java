package dev.junction.provider.openaicompat;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the body of a {@code <tool_call>…</tool_call>} that a server left in the text: Hermes JSON
 * ({@code {"name": ..., "arguments": {...}}}) or the Qwen3-Coder XML form
 * ({@code <function=f><parameter=k>v</parameter></function>}).
 */
public final class TextToolCalls {
  private static final Pattern FUNCTION = Pattern.compile("<function=([^>\\s]+)>(.*?)</function>", Pattern.DOTALL);
  private static final Pattern PARAMETER = Pattern.compile("<parameter=([^>\\s]+)>(.*?)</parameter>", Pattern.DOTALL);

  /** A parsed call: its name and input object. */
  public record Parsed(String name, JsonObject input) {
  }

  private TextToolCalls() {
  }

  /**
   * The call in {@code body}, or null when it is not a well-formed call of one of {@code toolNames}
   * (so a request without tools accepts none). Null makes the caller keep the text as text.
   */
  public static Parsed parse(String body, Set<String> toolNames) {
    String trimmed = body.trim();
    Parsed parsed = trimmed.startsWith("{") ? parseJson(trimmed) : parseXml(trimmed);
    if (parsed == null || !toolNames.contains(parsed.name())) {
      return null;
    }
    return parsed;
  }

  private static Parsed parseJson(String text) {
    try {
      JsonObject json = new JsonObject(text);
      String name = json.getString("name");
      if (name == null) {
        return null;
      }
      Object arguments = json.getValue("arguments", json.getValue("parameters"));
      JsonObject input;
      if (arguments instanceof JsonObject object) {
        input = object;
      } else if (arguments instanceof String string) {
        input = string.isBlank() ? new JsonObject() : new JsonObject(string);
      } else if (arguments == null) {
        input = new JsonObject();
      } else {
        return null;
      }
      return new Parsed(name, input);
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  private static Parsed parseXml(String text) {
    Matcher function = FUNCTION.matcher(text);
    if (!function.find()) {
      return null;
    }
    JsonObject input = new JsonObject();
    Matcher parameter = PARAMETER.matcher(function.group(2));
    while (parameter.find()) {
      input.put(parameter.group(1), xmlValue(parameter.group(2).strip()));
    }
    return new Parsed(function.group(1), input);
  }

  /** Values are untyped text in the XML form; JSON literals (numbers, objects, booleans) keep their type. */
  private static Object xmlValue(String value) {
    try {
      Object decoded = io.vertx.core.json.Json.decodeValue(value);
      return decoded == null ? value : decoded;
    } catch (RuntimeException notJson) {
      return value;
    }
  }
}
