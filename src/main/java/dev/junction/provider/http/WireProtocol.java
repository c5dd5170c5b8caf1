package dev.junction.provider.http;

import dev.junction.provider.CallOptions;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.ProviderException;
import dev.junction.provider.wire.StreamDecoder;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.function.Function;

/**
 * What an adapter tells the shared HTTP client: how to encode a canonical request, decode a reply
 * or a stream, and classify an error reply. Implementations are pure and stateless (a stream
 * decoder is created per call), so one instance serves every concurrent call.
 */
public interface WireProtocol {

  /** Encodes {@code request} (its stream flag decides the wire form). Never mutates it. */
  WireRequest encode(ModelRequest request, CallOptions options);

  /** Encodes a token-count request, or returns null when the protocol has no such endpoint. */
  default WireRequest encodeCountTokens(ModelRequest request, CallOptions options) {
    return null;
  }

  /** Decodes a 2xx non-streaming body; throws a MALFORMED {@link ProviderException} if it cannot. */
  ModelResponse decode(ModelRequest request, Buffer body);

  /** A fresh decoder for one streamed reply to {@code request}. */
  StreamDecoder streamDecoder(ModelRequest request);

  /**
   * A fresh decoder that relays the streamed reply's own bytes ({@link dev.junction.provider.wire.SseRelay})
   * when {@link #encode} sent the caller's own body ({@link CallOptions#callerBody()} of this protocol),
   * or null when the reply must be decoded and re-encoded for its caller.
   */
  default StreamDecoder relayDecoder(ModelRequest request, CallOptions options) {
    return null;
  }

  /**
   * Whether a non-streaming 2xx reply can go to the caller as the upstream sent it: {@link #encode}
   * sent the caller's own body ({@link CallOptions#callerBody()} of this protocol), so the caller
   * speaks the reply's protocol too.
   */
  default boolean relaysReply(CallOptions options) {
    return false;
  }

  /** Classifies a non-2xx reply. */
  ProviderException classify(int status, Function<String, String> headers, Buffer body);

  /** GET paths that must all answer 2xx for the endpoint to be ready; the last lists models. */
  List<String> probePaths();

  /** Headers for probe requests (authentication). */
  java.util.Map<String, String> probeHeaders();
}
