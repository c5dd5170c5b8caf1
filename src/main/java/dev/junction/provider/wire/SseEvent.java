package dev.junction.provider.wire;

/** One server-sent event: its {@code event:} name (null when absent) and its joined {@code data:}. */
public record SseEvent(String event, String data) {
}
