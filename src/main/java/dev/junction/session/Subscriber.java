package dev.junction.session;

import java.util.List;

/**
 * A live reader of one session's events. Calls arrive on a store or hub thread; an implementation
 * hands them to its own context and must never block the caller.
 */
public interface Subscriber {

  /**
   * Whether this reader asked for previews ({@code event_deltas[]}) of events of this type.
   *
   * @param type {@code agent.message} or {@code agent.thinking}
   */
  default boolean wantsPreview(String type) {
    return false;
  }

  /** @param frames committed events, in sequence order */
  void deliver(List<Frame> frames);

  /**
   * The session is gone (deleted) or finished for good; the subscriber should send the final frame, if
   * any, and close.
   *
   * @param last a final frame such as {@code session.deleted}, or null
   */
  void end(Frame last);
}
