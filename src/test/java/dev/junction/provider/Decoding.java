package dev.junction.provider;

import dev.junction.provider.http.WireProtocol;
import dev.junction.provider.wire.StreamDecoder;
import dev.junction.testing.Fixtures;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test helpers: protocols for each adapter and one-call decoding of fixtures. */
public final class Decoding {
  /** Fixed at the fixtures' recording time, so HTTP-date retry-after values are reproducible. */
  public static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T11:20:00Z"), ZoneOffset.UTC);

  private Decoding() {
  }

  public static ProviderConfig config(ProviderKind kind, Dialect dialect) {
    return ProviderConfig.of("test", kind, "http://127.0.0.1:1", "sk-test").withDialect(dialect);
  }

  public static WireProtocol protocol(ProviderKind kind) {
    return ProviderClients.protocol(config(kind, null), CLOCK);
  }

  public static WireProtocol compat(Dialect dialect) {
    return ProviderClients.protocol(config(ProviderKind.OPENAI_COMPATIBLE, dialect), CLOCK);
  }

  /** The canonical turn of {@code requests/anthropic_messages_request.json}. */
  public static ModelRequest turn() {
    return CanonicalJson.decodeRequest(Fixtures.json("requests/anthropic_messages_request.json"));
  }

  /** Every event a decoder emits for {@code bytes} fed in the given chunk sizes (cycled), then end. */
  public static List<StreamEvent> events(StreamDecoder decoder, Buffer bytes, int... chunkSizes) {
    List<StreamEvent> events = new ArrayList<>();
    int pos = 0;
    int i = 0;
    while (pos < bytes.length()) {
      int size = chunkSizes.length == 0 ? bytes.length() : Math.max(1, chunkSizes[i++ % chunkSizes.length]);
      int end = Math.min(bytes.length(), pos + size);
      decoder.feed(bytes.getBuffer(pos, end), events::add);
      pos = end;
    }
    decoder.end(events::add);
    return events;
  }

  /** The stream folded into a response; throws the stream's ProviderException if it failed. */
  public static ModelResponse accumulate(List<StreamEvent> events) {
    StreamAccumulator acc = new StreamAccumulator();
    events.forEach(acc::accept);
    return acc.result();
  }

  /** Classifies an error fixture the way the HTTP client would: manifest status and headers. */
  public static ProviderException classify(WireProtocol protocol, String file) {
    Fixtures.Entry entry = Fixtures.entry(file);
    Map<String, String> headers = entry.headers();
    return protocol.classify(entry.status(), name -> headers.get(name.toLowerCase(java.util.Locale.ROOT)),
        Fixtures.bytes(file));
  }
}
