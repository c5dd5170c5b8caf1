package dev.junction.routing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The part of JSON Schema a tool's {@code input_schema} needs to catch a broken tool call:
 * {@code type} (one or a list), {@code required}, {@code properties} (recursively), {@code enum}
 * and {@code items}. Anything else in the schema is ignored, so a valid call is never rejected for
 * a keyword this check does not know.
 */
public final class SchemaCheck {
  private static final int MAX_PROBLEMS = 5;

  private SchemaCheck() {
  }

  /** @return the first few problems, as {@code $.path: reason}; empty when the value satisfies the schema */
  public static List<String> problems(JsonObject schema, Object value) {
    List<String> out = new ArrayList<>(0);
    check(schema, value, "$", out);
    return out;
  }

  private static void check(JsonObject schema, Object value, String path, List<String> out) {
    if (schema == null || out.size() >= MAX_PROBLEMS) {
      return;
    }
    Object type = schema.getValue("type");
    if (type != null && !typeMatches(type, value)) {
      out.add(path + ": expected " + type + ", got " + typeOf(value));
      return;
    }
    JsonArray allowed = schema.getJsonArray("enum");
    if (allowed != null && !containsJson(allowed, value)) {
      out.add(path + ": " + value + " is not one of " + allowed.encode());
    }
    if (value instanceof JsonObject object) {
      JsonArray required = schema.getJsonArray("required");
      if (required != null) {
        for (Object name : required) {
          if (name instanceof String key && !object.containsKey(key)) {
            out.add(path + ": missing required property '" + key + "'");
          }
        }
      }
      JsonObject properties = schema.getJsonObject("properties");
      if (properties != null) {
        for (Map.Entry<String, Object> property : properties) {
          if (object.containsKey(property.getKey()) && property.getValue() instanceof JsonObject sub) {
            check(sub, object.getValue(property.getKey()), path + "." + property.getKey(), out);
          }
        }
      }
    } else if (value instanceof JsonArray array && schema.getValue("items") instanceof JsonObject items) {
      for (int i = 0; i < array.size(); i++) {
        check(items, array.getValue(i), path + "[" + i + "]", out);
      }
    }
  }

  private static boolean typeMatches(Object type, Object value) {
    if (type instanceof JsonArray types) {
      for (Object t : types) {
        if (t instanceof String name && isType(name, value)) {
          return true;
        }
      }
      return false;
    }
    return !(type instanceof String name) || isType(name, value);
  }

  private static boolean isType(String type, Object value) {
    return switch (type) {
      case "object" -> value instanceof JsonObject;
      case "array" -> value instanceof JsonArray;
      case "string" -> value instanceof String;
      case "boolean" -> value instanceof Boolean;
      case "null" -> value == null;
      case "number" -> value instanceof Number;
      case "integer" -> value instanceof Number n && isWhole(n);
      default -> true; // an unknown type name is the schema's problem, not the model's
    };
  }

  private static boolean isWhole(Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
        || n instanceof java.math.BigInteger) {
      return true;
    }
    double d = n.doubleValue();
    return !Double.isInfinite(d) && d == Math.rint(d);
  }

  private static boolean containsJson(JsonArray allowed, Object value) {
    for (Object candidate : allowed) {
      if (candidate == null ? value == null
          : candidate instanceof Number a && value instanceof Number b ? a.doubleValue() == b.doubleValue()
          : candidate.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static String typeOf(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof JsonObject) {
      return "object";
    }
    if (value instanceof JsonArray) {
      return "array";
    }
    if (value instanceof String) {
      return "string";
    }
    if (value instanceof Boolean) {
      return "boolean";
    }
    return value instanceof Number ? "number" : value.getClass().getSimpleName();
  }
}
