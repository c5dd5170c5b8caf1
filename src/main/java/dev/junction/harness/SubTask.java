package dev.junction.harness;

/** Why a model is called; routing policy is chosen per sub-task. */
public enum SubTask {
  TURN("turn"), COMPACTION("compaction"), GRADER("grader"), SUBAGENT("subagent"), PERMISSION("permission"),
  TITLE("title"), PROXY("proxy");

  private final String wire;

  SubTask(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
