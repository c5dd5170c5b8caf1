package dev.junction.tools;

/**
 * Captured output of a process, bounded: the beginning and the end are kept and the middle is
 * counted and dropped, because the start (what ran) and the end (how it failed) matter most.
 *
 * @param head    kept bytes from the start, decoded as UTF-8
 * @param tail    kept bytes from the end (empty unless something was dropped)
 * @param omitted bytes dropped between head and tail
 */
public record Output(String head, String tail, long omitted) {
  public static final Output EMPTY = new Output("", "", 0);

  /** @return whether anything was dropped */
  public boolean truncated() {
    return omitted > 0;
  }

  /** @return the text for the model, with a marker where bytes were dropped */
  public String render() {
    if (omitted == 0) {
      return head + tail;
    }
    return head + marker(omitted) + tail;
  }

  /** @return the marker put where {@code n} bytes were dropped */
  public static String marker(long n) {
    return "\n[output truncated: " + n + " bytes omitted]\n";
  }
}
