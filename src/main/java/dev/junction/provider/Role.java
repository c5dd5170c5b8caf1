package dev.junction.provider;

/** Who wrote a message. System prompts are not messages: they live on {@link ModelRequest#system()}. */
public enum Role {
  USER("user"),
  ASSISTANT("assistant");

  private final String wire;

  Role(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Role fromWire(String value) {
    return switch (value) {
      case "user" -> USER;
      case "assistant" -> ASSISTANT;
      default -> throw new IllegalArgumentException("unknown role '" + value + "'");
    };
  }
}
