package dev.junction.provider;

/** Why the model stopped, with Anthropic's wire names. */
public enum StopReason {
  END_TURN("end_turn"),
  MAX_TOKENS("max_tokens"),
  STOP_SEQUENCE("stop_sequence"),
  TOOL_USE("tool_use"),
  PAUSE_TURN("pause_turn"),
  REFUSAL("refusal"),
  MODEL_CONTEXT_WINDOW_EXCEEDED("model_context_window_exceeded");

  private final String wire;

  StopReason(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** The enum for a wire name; unknown names (a newer API) read as end_turn rather than failing. */
  public static StopReason fromWire(String value) {
    if (value == null) {
      return null;
    }
    for (StopReason reason : values()) {
      if (reason.wire.equals(value)) {
        return reason;
      }
    }
    return END_TURN;
  }
}
