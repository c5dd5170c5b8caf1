package dev.junction.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Set;

/**
 * Typed reads of request JSON that fail with a 400 naming the exact field path
 * ({@code events[0].content[1].text}) and what was expected, so a client can fix its request.
 */
final class Fields {
  private Fields() {
  }

  static String path(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  static String kind(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String) {
      return "a string";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    if (v instanceof Number) {
      return "a number";
    }
    if (v instanceof JsonObject || v instanceof Map) {
      return "an object";
    }
    return "an array";
  }

  static ApiError typeError(String path, String expected, Object got) {
    return ApiError.invalid(path + ": expected " + expected + ", got " + kind(got));
  }

  static void onlyKnown(JsonObject o, String parent, Set<String> allowed) {
    for (String k : o.fieldNames()) {
      if (!allowed.contains(k)) {
        throw ApiError.invalid(path(parent, k) + ": unknown field; allowed fields are " + new java.util.TreeSet<>(allowed));
      }
    }
  }

  static String requiredString(JsonObject o, String parent, String key, int min, int max) {
    String v = optionalString(o, parent, key, min, max);
    if (v == null) {
      throw ApiError.invalid(path(parent, key) + ": required");
    }
    return v;
  }

  /** @return the string, or null when absent or explicitly null */
  static String optionalString(JsonObject o, String parent, String key, int min, int max) {
    Object v = o.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw typeError(path(parent, key), "a string", v);
    }
    int len = s.codePointCount(0, s.length());
    if (len < min || len > max) {
      throw ApiError.invalid(path(parent, key) + ": length must be between " + min + " and " + max + ", got " + len);
    }
    return s;
  }

  static Boolean optionalBool(JsonObject o, String parent, String key) {
    Object v = o.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Boolean b)) {
      throw typeError(path(parent, key), "a boolean", v);
    }
    return b;
  }

  static Long optionalInt(JsonObject o, String parent, String key, long min, long max) {
    Object v = o.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw typeError(path(parent, key), "an integer", v);
    }
    long l = n.longValue();
    if (l < min || l > max) {
      throw ApiError.invalid(path(parent, key) + ": must be between " + min + " and " + max + ", got " + l);
    }
    return l;
  }

  static JsonObject optionalObject(JsonObject o, String parent, String key) {
    Object v = o.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject obj)) {
      throw typeError(path(parent, key), "an object", v);
    }
    return obj;
  }

  static JsonObject requiredObject(JsonObject o, String parent, String key) {
    JsonObject v = optionalObject(o, parent, key);
    if (v == null) {
      throw ApiError.invalid(path(parent, key) + ": required");
    }
    return v;
  }

  static JsonArray optionalArray(JsonObject o, String parent, String key, int max) {
    Object v = o.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonArray a)) {
      throw typeError(path(parent, key), "an array", v);
    }
    if (a.size() > max) {
      throw ApiError.invalid(path(parent, key) + ": at most " + max + " items, got " + a.size());
    }
    return a;
  }

  static JsonObject objectAt(JsonArray a, String path, int i) {
    Object v = a.getValue(i);
    if (!(v instanceof JsonObject obj)) {
      throw typeError(path + "[" + i + "]", "an object", v);
    }
    return obj;
  }

  static String stringAt(JsonArray a, String path, int i) {
    Object v = a.getValue(i);
    if (!(v instanceof String s)) {
      throw typeError(path + "[" + i + "]", "a string", v);
    }
    return s;
  }

  static String oneOf(JsonObject o, String parent, String key, Set<String> allowed, boolean required) {
    String v = required ? requiredString(o, parent, key, 0, 256) : optionalString(o, parent, key, 0, 256);
    if (v != null && !allowed.contains(v)) {
      throw ApiError.invalid(path(parent, key) + ": '" + v + "' is not one of " + new java.util.TreeSet<>(allowed));
    }
    return v;
  }

  /** MA metadata limits: at most 16 pairs, keys up to 64 characters, string values up to 512. */
  static JsonObject metadata(JsonObject o, String parent, String key, boolean patch) {
    JsonObject m = optionalObject(o, parent, key);
    if (m == null) {
      return null;
    }
    if (m.size() > 16) {
      throw ApiError.invalid(path(parent, key) + ": at most 16 keys, got " + m.size(), "invalid_metadata");
    }
    for (String k : m.fieldNames()) {
      Object v = m.getValue(k);
      if (k.isEmpty() || k.length() > 64) {
        throw ApiError.invalid(path(parent, key) + ": key '" + k + "' must be 1 to 64 characters", "invalid_metadata");
      }
      if (v == null && patch) {
        continue;
      }
      if (!(v instanceof String s)) {
        throw ApiError.invalid(path(parent, key) + "." + k + ": expected a string, got " + kind(v), "invalid_metadata");
      }
      if (s.length() > 512) {
        throw ApiError.invalid(path(parent, key) + "." + k + ": value longer than 512 characters", "invalid_metadata");
      }
    }
    return m;
  }

  /** Applies an MA metadata patch: a string upserts, null (and, where allowed, "") deletes. */
  static JsonObject patchMetadata(JsonObject current, JsonObject patch, boolean emptyDeletes) {
    JsonObject out = current == null ? new JsonObject() : current.copy();
    for (String k : patch.fieldNames()) {
      Object v = patch.getValue(k);
      if (v == null || (emptyDeletes && "".equals(v))) {
        out.remove(k);
      } else {
        out.put(k, v);
      }
    }
    if (out.size() > 16) {
      throw ApiError.invalid("metadata: at most 16 keys after the update, would be " + out.size(), "invalid_metadata");
    }
    return out;
  }
}
