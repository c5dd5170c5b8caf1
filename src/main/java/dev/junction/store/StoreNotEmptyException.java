package dev.junction.store;

/** A load refused because its target already holds records and the caller did not ask to merge. */
public final class StoreNotEmptyException extends IllegalStateException {

  /**
   * @param location  the target, as {@link Transfer#location()} names it
   * @param agents    agents it holds
   * @param documents documents (environments) it holds
   * @param sessions  sessions it holds
   */
  public StoreNotEmptyException(String location, long agents, long documents, long sessions) {
    super(location + " already holds " + agents + " agent(s), " + documents + " document(s) (environments) and " + sessions
        + " session(s)");
  }

  /** @return whether a target holding these counts is empty */
  public static boolean empty(long agents, long documents, long sessions) {
    return agents == 0 && documents == 0 && sessions == 0;
  }
}
