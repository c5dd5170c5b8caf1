package dev.junction.provider.wire;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * The bytes behind a {@link Buffer}, for readers that scan or parse them in place: the buffer's own
 * heap array and where the buffer starts in it, or a copy (at offset 0) when the buffer is off-heap.
 *
 * @param array  the bytes; the buffer's are {@code array[offset, offset + buffer.length())}
 * @param offset where the buffer's first byte is in {@code array}
 */
public record BufferBytes(byte[] array, int offset) {
  public static BufferBytes of(Buffer buffer) {
    ByteBuf buf = ((BufferInternal) buffer).getByteBuf();
    if (buf.hasArray()) {
      return new BufferBytes(buf.array(), buf.arrayOffset() + buf.readerIndex());
    }
    return new BufferBytes(buffer.getBytes(), 0);
  }
}
