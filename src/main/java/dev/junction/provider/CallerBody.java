package dev.junction.provider;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The body a model-proxy caller sent, in its own wire protocol. An adapter speaking the same
 * protocol sends it on as-is, with only {@code model} and the stream flag set for the attempt,
 * rather than re-encoding the canonical request: fields the canonical form does not model
 * ({@code context_management}, {@code service_tier}, {@code response_format}, {@code seed}, ...)
 * reach the upstream, and the encode step is skipped. Adapters of other protocols ignore it and
 * encode the canonical request, so failover to another provider still works.
 *
 * <p>Made {@link #of from the bytes as they arrived}, an attempt's body is those bytes with the
 * changed top-level members cut in ({@link JsonMembers#with}); made from a {@link JsonObject}, it is
 * encoded from a copy.
 */
public final class CallerBody {
  private static final Buffer TRUE = Buffer.buffer("true");

  private final ProviderKind protocol;
  private final JsonObject json;
  private final JsonMembers members;
  private ModelResponse replyFor;
  private Buffer replyBytes;

  /**
   * @param protocol {@link ProviderKind#ANTHROPIC} or {@link ProviderKind#OPENAI} (Chat Completions)
   * @param json the parsed body; never modified
   */
  public CallerBody(ProviderKind protocol, JsonObject json) {
    this(protocol, json, null);
  }

  private CallerBody(ProviderKind protocol, JsonObject json, JsonMembers members) {
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.json = Objects.requireNonNull(json, "json");
    this.members = members;
  }

  /** The body as it arrived, parsed by {@link JsonMembers#parse}. */
  public static CallerBody of(ProviderKind protocol, JsonMembers members) {
    return new CallerBody(protocol, members.json(), members);
  }

  public ProviderKind protocol() {
    return protocol;
  }

  /** The parsed body; never modified. */
  public JsonObject json() {
    return json;
  }

  /**
   * The body to send for {@code request} to an upstream speaking {@code kind}, or null when the
   * caller spoke another protocol. A shallow copy: only top-level keys change.
   */
  public JsonObject forAttempt(ProviderKind kind, ModelRequest request) {
    if (kind != protocol) {
      return null;
    }
    JsonObject out = new JsonObject(new LinkedHashMap<>(json.getMap())).put("model", request.model());
    if (request.stream()) {
      out.put("stream", true);
    } else {
      out.remove("stream");
      out.remove("stream_options");
    }
    return out;
  }

  /**
   * The bytes of {@link #forAttempt}, with {@code refused} top-level members left out and, for a
   * stream that must report its usage, {@code stream_options.include_usage} set; null when the
   * caller spoke another protocol.
   */
  public Buffer bytesFor(ProviderKind kind, ModelRequest request, Set<String> refused, boolean streamUsage) {
    if (kind != protocol) {
      return null;
    }
    Map<String, Buffer> set = new HashMap<>(4);
    Set<String> remove = new HashSet<>(refused);
    set.put("model", JsonMembers.Json.of(request.model()));
    if (request.stream()) {
      if (!Boolean.TRUE.equals(json.getValue("stream"))) {
        set.put("stream", TRUE);
      }
      Object options = json.getValue("stream_options");
      if (streamUsage && !(options instanceof JsonObject o && Boolean.TRUE.equals(o.getValue("include_usage")))) {
        JsonObject merged = options instanceof JsonObject o ? o.copy() : new JsonObject();
        set.put("stream_options", merged.put("include_usage", true).toBuffer());
      }
    } else {
      remove.add("stream");
      remove.add("stream_options");
    }
    if (members != null) {
      return members.with(set, remove);
    }
    JsonObject out = new JsonObject(new LinkedHashMap<>(json.getMap()));
    remove.forEach(out::remove);
    set.forEach((key, value) -> out.put(key, JsonMembers.Json.value(value)));
    return out.toBuffer();
  }

  /**
   * Keeps the bytes of a non-streaming reply from an upstream of this body's protocol, so that the
   * caller can be sent them as they came instead of the decoded reply encoded again. Several attempts
   * (a failover, a hedge) may each keep theirs; {@link #replyBytes} hands out only the chosen one's.
   */
  public synchronized void keepReply(ModelResponse decoded, Buffer bytes) {
    replyFor = decoded;
    replyBytes = bytes;
  }

  /** The bytes {@code reply} was decoded from, when it came from an upstream of this protocol; else null. */
  public synchronized Buffer replyBytes(ModelResponse reply) {
    return reply != null && reply == replyFor ? replyBytes : null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CallerBody b && protocol == b.protocol && json.equals(b.json);
  }

  @Override
  public int hashCode() {
    return Objects.hash(protocol, json);
  }

  @Override
  public String toString() {
    return "CallerBody[protocol=" + protocol + ", json=" + json.encode() + "]";
  }
}
