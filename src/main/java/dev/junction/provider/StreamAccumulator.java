package dev.junction.provider;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds canonical stream events into the {@link ModelResponse} a single read would have returned.
 * Tool inputs are parsed when their block stops; invalid JSON is a {@link FailureClass#MALFORMED}
 * failure. Not thread-safe: feed it from one context.
 */
public final class StreamAccumulator {
  private String id;
  private String model;
  private Usage usage = Usage.ZERO;
  private StopReason stopReason;
  private String stopSequence;
  private final Map<Integer, Partial> open = new TreeMap<>();
  private final Map<Integer, ContentBlock> done = new TreeMap<>();
  private boolean stopped;

  private static final class Partial {
    final ContentBlock start;
    final StringBuilder text = new StringBuilder();
    final StringBuilder signature = new StringBuilder();

    Partial(ContentBlock start) {
      this.start = start;
    }
  }

  /** Applies one event; throws the stream's {@link ProviderException} on an error event. */
  public StreamAccumulator accept(StreamEvent event) {
    // Java 17 has no pattern switch; the chain is ordered by frequency.
    if (event instanceof StreamEvent.TextDelta delta) {
      partial(delta.index()).text.append(delta.text());
    } else if (event instanceof StreamEvent.InputJsonDelta delta) {
      partial(delta.index()).text.append(delta.partialJson());
    } else if (event instanceof StreamEvent.ThinkingDelta delta) {
      partial(delta.index()).text.append(delta.thinking());
    } else if (event instanceof StreamEvent.SignatureDelta delta) {
      partial(delta.index()).signature.append(delta.signature());
    } else if (event instanceof StreamEvent.BlockStart start) {
      open.put(start.index(), new Partial(start.block()));
    } else if (event instanceof StreamEvent.BlockStop stop) {
      done.put(stop.index(), finish(open.remove(stop.index())));
    } else if (event instanceof StreamEvent.MessageStart start) {
      id = start.id();
      model = start.model();
      usage = start.usage() == null ? Usage.ZERO : start.usage();
    } else if (event instanceof StreamEvent.MessageDelta delta) {
      stopReason = delta.stopReason();
      stopSequence = delta.stopSequence();
      if (delta.usage() != null) {
        usage = delta.usage();
      }
    } else if (event instanceof StreamEvent.MessageStop) {
      stopped = true;
    } else if (event instanceof StreamEvent.Error error) {
      throw error.failure();
    }
    return this;
  }

  /** The usage reported so far (cumulative), also for a stream that has not ended. */
  public Usage usage() {
    return usage;
  }

  public boolean isComplete() {
    return stopped;
  }

  /** The folded reply; fails as MALFORMED when the stream did not end with message_stop. */
  public ModelResponse result() {
    if (!stopped) {
      throw ProviderException.of(FailureClass.MALFORMED, "stream ended without message_stop");
    }
    return new ModelResponse(id, model, new ArrayList<>(done.values()), stopReason, stopSequence, usage);
  }

  private Partial partial(int index) {
    Partial partial = open.get(index);
    if (partial == null) {
      throw ProviderException.of(FailureClass.MALFORMED, "delta for block " + index + " which is not open");
    }
    return partial;
  }

  private static ContentBlock finish(Partial partial) {
    if (partial == null) {
      throw ProviderException.of(FailureClass.MALFORMED, "content_block_stop for a block that is not open");
    }
    ContentBlock start = partial.start;
    if (start instanceof ContentBlock.Text text) {
      return new ContentBlock.Text(text.text() + partial.text, text.cacheControl());
    }
    if (start instanceof ContentBlock.ToolUse use) {
      return new ContentBlock.ToolUse(use.id(), use.name(),
          partial.text.length() == 0 ? use.input() : parseInput(use.name(), partial.text.toString()));
    }
    if (start instanceof ContentBlock.Thinking thinking) {
      return new ContentBlock.Thinking(thinking.thinking() + partial.text,
          signature(thinking.signature(), partial.signature));
    }
    return start;
  }

  private static String signature(String initial, StringBuilder appended) {
    String start = initial == null ? "" : initial;
    String all = start + appended;
    return all.isEmpty() ? null : all;
  }

  /** Parses streamed tool arguments; blank means a zero-argument call. */
  public static JsonObject parseInput(String toolName, String json) {
    if (json.isBlank()) {
      return new JsonObject();
    }
    try {
      return new JsonObject(json);
    } catch (DecodeException | ClassCastException e) {
      throw ProviderException.of(FailureClass.MALFORMED,
          "tool call '" + toolName + "' has invalid JSON arguments: " + abbreviate(json), e);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 120 ? text : text.substring(0, 120) + "…";
  }
}
