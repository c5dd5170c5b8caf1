package dev.junction.provider;

import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * Builds a well-formed canonical stream for adapters whose upstream does not speak Anthropic's:
 * assigns block indexes, opens and closes text and thinking blocks as the kind of delta changes,
 * and writes each tool call as one contiguous block (start, one input delta, stop) after checking
 * its JSON. Not thread-safe.
 */
public final class StreamWriter {
  private enum Open { NONE, TEXT, THINKING }

  private Consumer<StreamEvent> out;
  private Open open = Open.NONE;
  private int index = -1;
  private boolean started;
  private boolean toolUse;
  private boolean terminated;
  private boolean anyContent;
  private String messageId;

  /** Sets where events go; decoders call it at the top of every feed. */
  public StreamWriter to(Consumer<StreamEvent> sink) {
    this.out = sink;
    return this;
  }

  public boolean started() {
    return started;
  }

  public boolean terminated() {
    return terminated;
  }

  public boolean sawToolUse() {
    return toolUse;
  }

  public boolean sawContent() {
    return anyContent;
  }

  /** The id given to {@link #start}, or null before it. */
  public String messageId() {
    return messageId;
  }

  public void start(String id, String model, Usage usage) {
    if (!started) {
      started = true;
      messageId = id;
      out.accept(new StreamEvent.MessageStart(id, model, usage == null ? Usage.ZERO : usage));
    }
  }

  public void text(String text) {
    if (text == null || text.isEmpty()) {
      return;
    }
    if (open != Open.TEXT) {
      closeBlock();
      open = Open.TEXT;
      out.accept(new StreamEvent.BlockStart(++index, new ContentBlock.Text("")));
    }
    anyContent = true;
    out.accept(new StreamEvent.TextDelta(index, text));
  }

  public void thinking(String thinking) {
    if (thinking == null || thinking.isEmpty()) {
      return;
    }
    if (open != Open.THINKING) {
      closeBlock();
      open = Open.THINKING;
      out.accept(new StreamEvent.BlockStart(++index, new ContentBlock.Thinking("", null)));
    }
    anyContent = true;
    out.accept(new StreamEvent.ThinkingDelta(index, thinking));
  }

  /**
   * Ends the open thinking block with a signature, or writes an empty signed thinking block when
   * none is open (reasoning that came without visible text).
   */
  public void signature(String signature) {
    if (open != Open.THINKING) {
      closeBlock();
      open = Open.THINKING;
      out.accept(new StreamEvent.BlockStart(++index, new ContentBlock.Thinking("", null)));
    }
    anyContent = true;
    out.accept(new StreamEvent.SignatureDelta(index, signature));
    closeBlock();
  }

  /**
   * Writes a whole tool call. {@code arguments} may be blank (a zero-argument call) and must
   * otherwise be a JSON object, else this throws a MALFORMED {@link ProviderException}.
   */
  public void toolCall(String id, String name, String arguments) {
    JsonObject input = StreamAccumulator.parseInput(name, arguments == null ? "" : arguments);
    toolCall(id, name, input);
  }

  public void toolCall(String id, String name, JsonObject input) {
    closeBlock();
    toolUse = true;
    anyContent = true;
    int i = ++index;
    out.accept(new StreamEvent.BlockStart(i, new ContentBlock.ToolUse(id, name, new JsonObject())));
    out.accept(new StreamEvent.InputJsonDelta(i, input.encode()));
    out.accept(new StreamEvent.BlockStop(i));
  }

  public void closeBlock() {
    if (open != Open.NONE) {
      out.accept(new StreamEvent.BlockStop(index));
      open = Open.NONE;
    }
  }

  /** Ends the message; a reply with no content at all is MALFORMED rather than a silent success. */
  public void finish(StopReason stopReason, Usage usage) {
    closeBlock();
    if (!anyContent && stopReason != StopReason.MAX_TOKENS) {
      fail(ProviderException.of(FailureClass.MALFORMED, "the upstream stream ended with an empty reply"));
      return;
    }
    terminated = true;
    // tool use is decided by the presence of calls, whatever the upstream's finish reason said
    StopReason reason = toolUse ? StopReason.TOOL_USE
        : stopReason == StopReason.TOOL_USE ? StopReason.END_TURN : stopReason;
    out.accept(new StreamEvent.MessageDelta(reason, null, usage));
    out.accept(new StreamEvent.MessageStop());
  }

  public void fail(ProviderException failure) {
    if (!terminated) {
      terminated = true;
      out.accept(new StreamEvent.Error(failure));
    }
  }
}
