package dev.junction.provider.wire;

import dev.junction.provider.ContentBlock;
import dev.junction.provider.JsonMembers;
import dev.junction.provider.StreamEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The decoder of a relayed stream: the upstream speaks the caller's protocol, so its frames go to
 * the caller as they came ({@link StreamEvent.Relayed}, one per upstream read, so a read becomes one
 * write), and only the frames that matter to the gateway are decoded, by the protocol's own decoder:
 * the start (the commit point), usage, the stop, errors, tool calls, and text until the reply has
 * shown it is not empty. Everything else (most of a stream: its text deltas) is split into frames
 * and never parsed.
 *
 * <p>Order: a frame's canonical events come before its bytes, and the bytes of every frame before a
 * terminal event; frames before the first canonical event (a ping before the start) are dropped, and
 * so is the frame that failed, whose error the caller receives in the gateway's own words. Frames
 * split across reads are carried to the next one; line ends are LF, CRLF or CR.
 */
public final class SseRelay implements StreamDecoder {

  /** What one protocol tells the relay about its frames. */
  public interface Protocol {

    /**
     * Whether a frame must be decoded. The start and anything that may carry usage, the stop, an
     * error or a tool call must; a content delta only when {@code deltasWanted}.
     *
     * @param deltasWanted the open block is a tool call, or no non-blank text has been seen yet
     */
    boolean mustDecode(Frame frame, boolean deltasWanted);

    /**
     * Decodes one frame into canonical events ({@link Frame#json()} spares a frame's data a trip
     * through a String).
     *
     * @return the bytes to relay instead of the frame's own, {@link #DROP} to relay nothing, or
     *     null to relay the frame as it came
     */
    Buffer decode(Frame frame, Consumer<StreamEvent> out);

    /** The body ended: emits an error event unless the stream terminated. */
    void end(Consumer<StreamEvent> out);

    boolean finished();
  }

  /** Returned by {@link Protocol#decode} for a frame the caller must not see. */
  public static final Buffer DROP = Buffer.buffer(0);

  private enum Open { NONE, TEXT, TOOL, OTHER }

  private final Protocol protocol;
  private final Frame frame = new Frame();
  private final Consumer<StreamEvent> capture = this::capture;
  private Consumer<StreamEvent> out;
  private StreamEvent deferred;
  private Buffer carry;
  private boolean started;
  private boolean ending;
  private boolean substance;
  private Open open = Open.NONE;

  // the bytes to relay for the current read: a run of frames of the buffer, and anything before it
  private Buffer pending;
  private Buffer runBuffer;
  private int runStart;
  private int runEnd;
  private int arrayOffset;

  public SseRelay(Protocol protocol) {
    this.protocol = protocol;
  }

  @Override
  public void feed(Buffer chunk, Consumer<StreamEvent> sink) {
    if (protocol.finished()) {
      return;
    }
    out = sink;
    Buffer buf = carry == null ? chunk : carry.appendBuffer(chunk);
    carry = null;
    int consumed = scan(buf);
    flush();
    if (consumed < buf.length() && !protocol.finished()) {
      carry = Buffer.buffer(buf.length() - consumed + 256).appendBuffer(buf, consumed, buf.length() - consumed);
    }
  }

  @Override
  public void end(Consumer<StreamEvent> sink) {
    out = sink;
    Buffer rest = carry;
    carry = null;
    int lineEnd = rest == null ? -1 : lastLineEnd(rest);
    if (lineEnd > 0 && !protocol.finished()) {
      // a last frame without its blank line (some servers end with "data: [DONE]\n"); a line cut
      // off without its terminator is dropped, as a decoder drops it: it may be truncated JSON
      ending = true;
      scan(rest.getBuffer(0, lineEnd).appendString("\n\n"));
      flush();
    }
    if (!protocol.finished()) {
      protocol.end(capture);
      flush();
      StreamEvent terminal = deferred;
      deferred = null;
      if (terminal != null) {
        out.accept(terminal);
      }
    }
    release();
  }

  private static int lastLineEnd(Buffer buf) {
    for (int i = buf.length() - 1; i >= 0; i--) {
      byte b = buf.getByte(i);
      if (b == '\n' || b == '\r') {
        return i + 1;
      }
    }
    return -1;
  }

  @Override
  public boolean finished() {
    return protocol.finished();
  }

  /** Handles every complete frame of {@code buf}; returns where the incomplete rest begins. */
  private int scan(Buffer buf) {
    byte[] bytes = bytes(buf);
    int base = arrayOffset;
    int length = buf.length();
    int frameStart = 0;
    int lineStart = 0;
    frame.at(buf, bytes, base, 0, 0);
    while (true) {
      int at = nextLineBreak(bytes, base + lineStart, base + length);
      if (at < 0) {
        break;
      }
      int i = at - base;
      int next;
      if (bytes[at] == '\r') {
        if (i + 1 == length) {
          break; // CR or CRLF: the next read tells
        }
        next = bytes[at + 1] == '\n' ? i + 2 : i + 1;
      } else {
        next = i + 1;
      }
      if (i == lineStart) {
        // a blank line ends the frame (one without fields is just blank lines, relayed with the next)
        if (frame.hasFields()) {
          frame.end = next;
          handle();
          if (protocol.finished()) {
            return length;
          }
          frameStart = next;
          frame.at(buf, bytes, base, frameStart, frameStart);
        }
      } else {
        frame.line(lineStart, i);
      }
      lineStart = next;
    }
    return frameStart;
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /**
   * The index of the next LF or CR in {@code bytes[from, to)}, or -1: eight bytes at a time, since
   * nearly every byte of a stream is inside a line. (A zero byte of {@code x ^ pattern} is a match;
   * {@code (v - ONES) & ~v & HIGHS} marks zero bytes, the lowest mark always a true one.)
   */
  static int nextLineBreak(byte[] bytes, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long x = (long) LONGS.get(bytes, i);
      long lf = x ^ 0x0A0A0A0A0A0A0A0AL;
      long cr = x ^ 0x0D0D0D0D0D0D0D0DL;
      long marks = (((lf - ONES) & ~lf) | ((cr - ONES) & ~cr)) & HIGHS;
      if (marks != 0) {
        return i + (Long.numberOfTrailingZeros(marks) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (bytes[i] == '\n' || bytes[i] == '\r') {
        return i;
      }
    }
    return -1;
  }

  /** One complete frame: decode it if it matters, then relay it unless it must not be. */
  private void handle() {
    if (ending && !frame.hasData()) {
      return; // the rest of a frame cut before its data
    }
    Buffer replacement = null;
    boolean wanted = open == Open.TOOL || (open != Open.OTHER && !substance);
    if (!started || protocol.mustDecode(frame, wanted)) {
      if (frame.hasData()) {
        replacement = protocol.decode(frame, capture);
      }
    }
    StreamEvent terminal = deferred;
    deferred = null;
    if (started && !(terminal instanceof StreamEvent.Error) && replacement != DROP) {
      if (replacement != null) {
        append(replacement);
      } else {
        relay(frame.buf, frame.start, frame.end);
      }
    }
    if (terminal != null) {
      flush();
      out.accept(terminal);
      release();
    }
  }

  /** The canonical events of a frame: terminal ones wait until the frame's bytes are queued. */
  private void capture(StreamEvent event) {
    if (event instanceof StreamEvent.MessageStop || event instanceof StreamEvent.Error) {
      deferred = event;
      return;
    }
    started = true;
    if (event instanceof StreamEvent.BlockStart start) {
      ContentBlock block = start.block();
      open = block instanceof ContentBlock.Text ? Open.TEXT : block instanceof ContentBlock.ToolUse ? Open.TOOL : Open.OTHER;
      substance |= open == Open.TOOL;
    } else if (event instanceof StreamEvent.BlockStop) {
      open = Open.NONE;
    } else if (event instanceof StreamEvent.TextDelta delta) {
      substance |= !delta.text().isBlank();
    }
    out.accept(event);
  }

  private void relay(Buffer buf, int start, int end) {
    if (runBuffer == buf && runEnd == start) {
      runEnd = end;
      return;
    }
    closeRun();
    runBuffer = buf;
    runStart = start;
    runEnd = end;
  }

  private void append(Buffer bytes) {
    closeRun();
    pending().appendBuffer(bytes);
  }

  private void closeRun() {
    if (runBuffer != null) {
      pending().appendBuffer(runBuffer, runStart, runEnd - runStart);
      runBuffer = null;
    }
  }

  private Buffer pending() {
    if (pending == null) {
      pending = Buffer.buffer(512);
    }
    return pending;
  }

  /** Hands out what this read relays, as one buffer: a slice of the read when nothing was dropped. */
  private void flush() {
    Buffer bytes;
    if (pending == null) {
      if (runBuffer == null) {
        return;
      }
      bytes = runBuffer.slice(runStart, runEnd);
      runBuffer = null;
    } else {
      closeRun();
      bytes = pending;
      pending = null;
    }
    out.accept(new StreamEvent.Relayed(bytes));
  }

  private void release() {
    carry = null;
    pending = null;
    runBuffer = null;
  }

  /** The buffer's backing array (its offset in {@link #arrayOffset}), without a copy when it is on the heap. */
  private byte[] bytes(Buffer buf) {
    BufferBytes in = BufferBytes.of(buf);
    arrayOffset = in.offset();
    return in.array();
  }

  /**
   * A view of the frame being scanned: where its {@code event:} name and first {@code data:} line
   * are, for the cheap checks of {@link Protocol#mustDecode}. Reused from frame to frame.
   */
  public static final class Frame {
    private Buffer buf;
    private byte[] bytes;
    private int base;
    private int start;
    private int end;
    private int eventStart;
    private int eventEnd;
    private int dataStart;
    private int dataEnd;
    private int dataLines;
    private boolean fields;

    void at(Buffer buf, byte[] bytes, int base, int start, int end) {
      this.buf = buf;
      this.bytes = bytes;
      this.base = base;
      this.start = start;
      this.end = end;
      eventStart = eventEnd = dataStart = dataEnd = -1;
      dataLines = 0;
      fields = end > start;
    }

    boolean hasFields() {
      return fields;
    }

    void line(int from, int to) {
      fields = true;
      if (startsWith(from, to, "event:")) {
        eventStart = from + 6 < to && bytes[base + from + 6] == ' ' ? from + 7 : from + 6;
        eventEnd = to;
      } else if (startsWith(from, to, "data:") || to - from == 4 && startsWith(from, to, "data")) {
        if (dataLines++ == 0) {
          dataStart = Math.min(to, from + 5 < to && bytes[base + from + 5] == ' ' ? from + 6 : from + 5);
          dataEnd = to;
        }
      }
    }

    /** Its {@code event:} name, or null. */
    public String eventName() {
      return eventStart < 0 ? null : new String(bytes, base + eventStart, eventEnd - eventStart, StandardCharsets.UTF_8);
    }

    /** The frame as the SSE rules read it, data lines joined; null when it has no data (a comment). */
    public SseEvent sse() {
      if (dataLines == 1) {
        return new SseEvent(eventName(), new String(bytes, base + dataStart, dataEnd - dataStart, StandardCharsets.UTF_8));
      }
      SseEvent[] read = new SseEvent[1];
      new SseDecoder().feed(buf.slice(start, end), e -> read[0] = e);
      return read[0];
    }

    /**
     * Its data as a JSON object, parsed from the frame's bytes when it has one data line (nearly
     * always); null when the data is not a JSON object.
     */
    public JsonObject json() {
      try {
        return JsonMembers.object(dataLines == 1 ? buf.slice(dataStart, dataEnd) : Buffer.buffer(sse().data()));
      } catch (DecodeException e) {
        return null;
      }
    }

    /** Its data as bytes (a slice of the read) when it has exactly one data line, else null. */
    public Buffer data() {
      return dataLines == 1 ? buf.slice(dataStart, dataEnd) : null;
    }

    boolean hasData() {
      return dataStart >= 0;
    }

    /** Whether the frame has an {@code event:} line. */
    public boolean hasEvent() {
      return eventStart >= 0;
    }

    /** Whether the frame's {@code event:} name is {@code name}. */
    public boolean event(String name) {
      return eventStart >= 0 && eventEnd - eventStart == name.length() && startsWith(eventStart, eventEnd, name);
    }

    /** Whether the first {@code data:} line is {@code text}, surrounding white space aside. */
    public boolean dataIs(String text) {
      if (dataStart < 0) {
        return false;
      }
      int from = dataStart;
      int to = dataEnd;
      while (from < to && (bytes[base + from] & 0xFF) <= ' ') {
        from++;
      }
      while (to > from && (bytes[base + to - 1] & 0xFF) <= ' ') {
        to--;
      }
      return to - from == text.length() && startsWith(from, to, text);
    }

    /**
     * Whether the first {@code data:} line has the key {@code "key"} with a value other than
     * {@code null}. A quote inside a JSON string is escaped, so {@code "key"} followed by a colon
     * is a key; a false positive only costs a decode.
     */
    public boolean dataHas(String key) {
      if (dataStart < 0) {
        return false;
      }
      int n = key.length();
      for (int i = dataStart; i + n + 2 <= dataEnd; i++) {
        if (bytes[base + i] != '"' || bytes[base + i + n + 1] != '"' || !startsWith(i + 1, i + 1 + n, key)) {
          continue;
        }
        int j = skipSpace(i + n + 2, dataEnd);
        if (j >= dataEnd || bytes[base + j] != ':') {
          continue;
        }
        j = skipSpace(j + 1, dataEnd);
        return !startsWith(j, dataEnd, "null");
      }
      return false;
    }

    private boolean startsWith(int from, int to, String prefix) {
      int n = prefix.length();
      if (to - from < n) {
        return false;
      }
      for (int k = 0; k < n; k++) {
        if (bytes[base + from + k] != (byte) prefix.charAt(k)) {
          return false;
        }
      }
      return true;
    }

    private int skipSpace(int from, int to) {
      while (from < to && (bytes[base + from] == ' ' || bytes[base + from] == '\t')) {
        from++;
      }
      return from;
    }

    @Override
    public String toString() {
      return new String(bytes, base + start, end - start, StandardCharsets.UTF_8);
    }
  }
}
