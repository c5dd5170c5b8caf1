package dev.junction.app;

import dev.junction.store.StoreRecord;
import dev.junction.store.Timestamps;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The export file: JSON Lines in UTF-8. The first line is the header
 * {@code {"format":"junction-export","version":1,"exported_at":...,"source":"sqlite|postgres"}}; then
 * one record per line, each with a {@code record} field naming its type, in load order; the last line
 * is {@code {"record":"end","counts":{...}}}, so an import can tell a whole file from a truncated one.
 * Timestamps of rows are epoch milliseconds ({@code *_ms}); {@code doc} is the stored document as is.
 */
final class ExportFormat {
  static final String FORMAT = "junction-export";
  static final int VERSION = 1;
  static final String END = "end";
  /** Record types in file order. {@code vault} is reserved: nothing writes it until vaults exist. */
  static final List<String> TYPES = List.of("agent", "agent_version", "document", "session", "event", "vault");

  private ExportFormat() {
  }

  static JsonObject header(String source, long exportedAtMillis) {
    return new JsonObject().put("format", FORMAT).put("version", VERSION)
        .put("exported_at", Timestamps.format(exportedAtMillis)).put("source", source);
  }

  /**
   * @return the header's source store
   * @throws IllegalArgumentException naming what is wrong when the line is no header this version reads
   */
  static String checkHeader(JsonObject line) {
    if (!FORMAT.equals(line.getValue("format"))) {
      throw new IllegalArgumentException("line 1: not a Junction export (the first line must have \"format\":\""
          + FORMAT + "\")");
    }
    Object version = line.getValue("version");
    if (!(version instanceof Number n) || n.longValue() != VERSION) {
      throw new IllegalArgumentException("line 1: export format version " + version + " is not one this Junction reads ("
          + VERSION + "); import it with the Junction version that wrote it or a later one");
    }
    return String.valueOf(line.getValue("source"));
  }

  /** @return a fresh count of zero for every record type, in file order */
  static Map<String, Long> zeroCounts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    TYPES.forEach(t -> counts.put(t, 0L));
    return counts;
  }

  static JsonObject trailer(Map<String, Long> counts) {
    JsonObject c = new JsonObject();
    counts.forEach(c::put);
    return new JsonObject().put("record", END).put("counts", c);
  }

  /**
   * @throws IllegalArgumentException when the trailer's counts differ from what was read
   */
  static void checkTrailer(JsonObject trailer, long lineNumber, Map<String, Long> read) {
    Object counts = trailer.getValue("counts");
    if (!(counts instanceof JsonObject written)) {
      throw new IllegalArgumentException("line " + lineNumber + ": the end record has no \"counts\" object");
    }
    for (String type : TYPES) {
      Object n = written.getValue(type, 0L);
      long expected = n instanceof Number num ? num.longValue() : -1;
      if (expected != read.get(type)) {
        throw new IllegalArgumentException("the end record counts " + n + " " + type + " record(s) but the file holds "
            + read.get(type) + ": the file is damaged");
      }
    }
  }

  static String type(StoreRecord r) {
    if (r instanceof StoreRecord.Agent) {
      return "agent";
    } else if (r instanceof StoreRecord.AgentVersion) {
      return "agent_version";
    } else if (r instanceof StoreRecord.Document) {
      return "document";
    } else if (r instanceof StoreRecord.Session) {
      return "session";
    }
    return "event";
  }

  static JsonObject encode(StoreRecord record) {
    JsonObject out = new JsonObject().put("record", type(record));
    if (record instanceof StoreRecord.Agent a) {
      return out.put("id", a.id()).put("tenant", a.tenant()).put("latest_version", a.latestVersion())
          .put("created_at_ms", a.createdAt()).put("archived_at_ms", a.archivedAt());
    } else if (record instanceof StoreRecord.AgentVersion v) {
      return out.put("agent_id", v.agentId()).put("version", v.version()).put("doc", v.doc());
    } else if (record instanceof StoreRecord.Document d) {
      return out.put("id", d.id()).put("kind", d.kind()).put("tenant", d.tenant()).put("created_at_ms", d.createdAt())
          .put("archived_at_ms", d.archivedAt()).put("doc", d.doc());
    } else if (record instanceof StoreRecord.Session s) {
      return out.put("id", s.id()).put("tenant", s.tenant()).put("agent_id", s.agentId())
          .put("agent_version", s.agentVersion()).put("status", s.status()).put("created_at_ms", s.createdAt())
          .put("archived_at_ms", s.archivedAt()).put("last_seq", s.lastSeq()).put("doc", s.doc());
    }
    StoreRecord.Event e = (StoreRecord.Event) record;
    return out.put("session_id", e.sessionId()).put("seq", e.seq()).put("id", e.id()).put("type", e.type())
        .put("processed_at_ms", e.processedAt()).put("doc", e.doc());
  }

  /**
   * @param lineNumber for messages
   * @throws IllegalArgumentException naming the line and field when the record is malformed or of a
   *                                  type this version cannot load
   */
  static StoreRecord decode(JsonObject line, long lineNumber) {
    Fields f = new Fields(line, lineNumber);
    String type = f.text("record");
    return switch (type) {
      case "agent" -> new StoreRecord.Agent(f.text("id"), f.text("tenant"), f.number("latest_version"),
          f.number("created_at_ms"), f.nullableNumber("archived_at_ms"));
      case "agent_version" -> new StoreRecord.AgentVersion(f.text("agent_id"), f.number("version"), f.doc());
      case "document" -> new StoreRecord.Document(f.text("id"), f.text("kind"), f.text("tenant"),
          f.number("created_at_ms"), f.nullableNumber("archived_at_ms"), f.doc());
      case "session" -> new StoreRecord.Session(f.text("id"), f.text("tenant"), f.text("agent_id"),
          f.number("agent_version"), f.text("status"), f.number("created_at_ms"), f.nullableNumber("archived_at_ms"),
          f.number("last_seq"), f.doc());
      case "event" -> new StoreRecord.Event(f.text("session_id"), f.number("seq"), f.text("id"), f.text("type"),
          f.number("processed_at_ms"), f.doc());
      case "vault" -> throw new IllegalArgumentException("line " + lineNumber + ": vault records are reserved for a"
          + " Junction that stores vaults; this version cannot import them");
      default -> throw new IllegalArgumentException("line " + lineNumber + ": unknown record type '" + type + "'");
    };
  }

  /** Typed reads of one line that name the line and field when they fail. */
  private record Fields(JsonObject line, long number) {
    String text(String field) {
      if (line.getValue(field) instanceof String s && !s.isEmpty()) {
        return s;
      }
      throw missing(field, "a non-empty string");
    }

    long number(String field) {
      if (line.getValue(field) instanceof Number n) {
        return n.longValue();
      }
      throw missing(field, "a number");
    }

    Long nullableNumber(String field) {
      Object v = line.getValue(field);
      if (v == null || v instanceof Number) {
        return v == null ? null : ((Number) v).longValue();
      }
      throw missing(field, "a number or null");
    }

    JsonObject doc() {
      if (line.getValue("doc") instanceof JsonObject doc) {
        return doc;
      }
      throw missing("doc", "an object");
    }

    private IllegalArgumentException missing(String field, String what) {
      return new IllegalArgumentException("line " + number + ": " + line.getValue("record") + " record needs \""
          + field + "\" as " + what);
    }
  }
}
