package dev.junction.api;

import dev.junction.provider.JsonMembers;
import dev.junction.store.ListQuery;
import dev.junction.store.PageKey;
import dev.junction.store.TimeRange;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/** Request decoding shared by handlers: JSON bodies, bracket-style query arrays, ranges and cursors. */
final class Requests {
  private Requests() {
  }

  /** The JSON body; an absent or empty body is {@code {}} because SDKs send body-less POSTs. */
  static JsonObject body(RoutingContext ctx) {
    Buffer b = ctx.body() == null ? null : ctx.body().buffer();
    // a whitespace-only body is short: testing longer ones would copy every request body once more
    if (b == null || b.length() == 0 || b.length() < 16 && b.toString(StandardCharsets.UTF_8).isBlank()) {
      return new JsonObject();
    }
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(b);
    } catch (DecodeException e) {
      throw notJson(e);
    }
    if (!(parsed instanceof JsonObject o)) {
      throw ApiError.invalid("request body must be a JSON object, got " + Fields.kind(parsed));
    }
    return o;
  }

  /**
   * A model-proxy body, as {@link #body} reads it but kept with its bytes ({@link JsonMembers}), so
   * that a target of the caller's protocol is sent those bytes rather than an encoding of them.
   */
  static JsonMembers members(RoutingContext ctx) {
    Buffer b = ctx.body() == null ? null : ctx.body().buffer();
    if (b == null || b.length() == 0 || b.length() < 16 && b.toString(StandardCharsets.UTF_8).isBlank()) {
      return JsonMembers.parse(Buffer.buffer("{}"));
    }
    JsonMembers members;
    try {
      members = JsonMembers.parse(b);
    } catch (DecodeException e) {
      throw notJson(e);
    }
    if (members == null) {
      body(ctx); // not an object: says what it is
      throw new IllegalStateException("unreachable: a JSON value that is not an object");
    }
    return members;
  }

  private static ApiError notJson(DecodeException e) {
    String msg = e.getMessage() == null ? "" : e.getMessage();
    int cut = msg.indexOf(" at [Source");
    return ApiError.invalid("request body is not valid JSON: " + (cut > 0 ? msg.substring(0, cut) : msg).replace('\n', ' '));
  }

  /** Values of {@code name[]} and plain repeated {@code name}. */
  static List<String> array(MultiMap params, String name) {
    List<String> out = new ArrayList<>(params.getAll(name + "[]"));
    out.addAll(params.getAll(name));
    return out;
  }

  static int limit(MultiMap params, int def, int max) {
    String v = params.get("limit");
    if (v == null) {
      return def;
    }
    try {
      int l = Integer.parseInt(v);
      if (l >= 1 && l <= max) {
        return l;
      }
    } catch (NumberFormatException ignored) {
      // Falls through to the error below.
    }
    throw ApiError.invalid("limit: must be an integer between 1 and " + max + ", got '" + v + "'");
  }

  static boolean bool(MultiMap params, String name) {
    String v = params.get(name);
    if (v == null) {
      return false;
    }
    if (v.equals("true") || v.equals("false")) {
      return Boolean.parseBoolean(v);
    }
    throw ApiError.invalid(name + ": must be true or false, got '" + v + "'");
  }

  static boolean descending(MultiMap params, boolean def) {
    String v = params.get("order");
    if (v == null) {
      return def;
    }
    return switch (v) {
      case "asc" -> false;
      case "desc" -> true;
      default -> throw ApiError.invalid("order: must be asc or desc, got '" + v + "'");
    };
  }

  /**
   * {@code created_at[gt|gte|lt|lte]} as an inclusive millisecond range. Bounds may be finer than a
   * millisecond (the Java SDK sends {@code OffsetDateTime} at full precision), so each one is rounded
   * the way that keeps exactly the millisecond timestamps it admits.
   */
  static TimeRange range(MultiMap params, String name) {
    long from = Long.MIN_VALUE;
    long to = Long.MAX_VALUE;
    for (String op : List.of("gt", "gte", "lt", "lte")) {
      String v = params.get(name + "[" + op + "]");
      if (v == null) {
        continue;
      }
      Instant t;
      try {
        t = OffsetDateTime.parse(v).toInstant();
      } catch (DateTimeParseException e) {
        throw ApiError.invalid(name + "[" + op + "]: '" + v + "' is not an RFC 3339 timestamp");
      }
      long floor = t.toEpochMilli();
      long ceil = t.getNano() % 1_000_000 == 0 ? floor : floor + 1;
      switch (op) {
        case "gt" -> from = Math.max(from, floor + 1);
        case "gte" -> from = Math.max(from, ceil);
        case "lt" -> to = Math.min(to, ceil - 1);
        default -> to = Math.min(to, floor);
      }
    }
    return new TimeRange(from, to);
  }

  /**
   * Applies {@code page} to a query. A cursor records its direction and the order it was made for;
   * reusing it with another order is a 400, as in MA.
   */
  static ListQuery paged(MultiMap params, ListQuery q) {
    String page = params.get("page");
    if (page == null || page.isEmpty()) {
      return q;
    }
    Cursor c = Cursor.decode(page);
    if (c.descending() != q.descending()) {
      throw ApiError.invalid("page: this cursor was made for order=" + (c.descending() ? "desc" : "asc")
          + "; repeat the original query's order");
    }
    return new ListQuery(q.limit(), q.descending(), c.backward() ? null : c.key(), c.backward() ? c.key() : null,
        q.includeArchived(), q.range(), q.agentId(), q.agentVersion(), q.statuses(), q.types());
  }

  static void checkAllowed(Set<String> allowed, List<String> values, String name) {
    for (String v : values) {
      if (!allowed.contains(v)) {
        throw ApiError.invalid(name + "[]: unknown value '" + v + "'");
      }
    }
  }

  /** An opaque page token. */
  record Cursor(PageKey key, boolean descending, boolean backward) {
    String encode() {
      String raw = (backward ? "b" : "f") + (descending ? "d" : "a") + ":" + key.sortKey() + ":" + key.id();
      return "page_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String token) {
      try {
        if (!token.startsWith("page_")) {
          throw new IllegalArgumentException();
        }
        String raw = new String(Base64.getUrlDecoder().decode(token.substring(5)), StandardCharsets.UTF_8);
        String[] parts = raw.split(":", 3);
        if (parts.length != 3 || parts[0].length() != 2) {
          throw new IllegalArgumentException();
        }
        return new Cursor(new PageKey(Long.parseLong(parts[1]), parts[2]), parts[0].charAt(1) == 'd', parts[0].charAt(0) == 'b');
      } catch (IllegalArgumentException e) {
        throw ApiError.invalid("page: '" + token + "' is not a cursor this gateway issued");
      }
    }
  }

  static String next(dev.junction.store.Page<?> p, boolean descending) {
    return p.next() == null ? null : new Cursor(p.next(), descending, false).encode();
  }

  static String prev(dev.junction.store.Page<?> p, boolean descending) {
    return p.prev() == null ? null : new Cursor(p.prev(), descending, true).encode();
  }
}
