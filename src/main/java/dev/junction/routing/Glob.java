package dev.junction.routing;

import java.util.regex.Pattern;

/**
 * A shell-style pattern for ids and names: {@code *} any run of characters, {@code ?} one
 * character, {@code [abc]} / {@code [a-z]} one of a set; everything else is literal. Matching is
 * case-sensitive and whole-string.
 */
public final class Glob {
  private final String source;
  private final Pattern pattern;
  private final String literal;

  private Glob(String source, Pattern pattern, String literal) {
    this.source = source;
    this.pattern = pattern;
    this.literal = literal;
  }

  /**
   * @throws IllegalArgumentException with a readable reason when the pattern is empty or a
   *     bracket is not closed
   */
  public static Glob compile(String source) {
    if (source == null || source.isEmpty()) {
      throw new IllegalArgumentException("an empty pattern matches nothing");
    }
    StringBuilder regex = new StringBuilder();
    boolean wild = false;
    for (int i = 0; i < source.length(); i++) {
      char c = source.charAt(i);
      switch (c) {
        case '*' -> {
          regex.append(".*");
          wild = true;
        }
        case '?' -> {
          regex.append('.');
          wild = true;
        }
        case '[' -> {
          int end = source.indexOf(']', i + 1);
          if (end < 0 || end == i + 1) {
            throw new IllegalArgumentException("'[' at position " + i + " has no closing ']' (or the set is empty)");
          }
          String set = source.substring(i + 1, end);
          regex.append('[').append(set.replace("\\", "\\\\").replace("^", "\\^").replace("[", "\\[")).append(']');
          wild = true;
          i = end;
        }
        case ']' -> throw new IllegalArgumentException("']' at position " + i + " closes no '['");
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return wild ? new Glob(source, Pattern.compile(regex.toString()), null) : new Glob(source, null, source);
  }

  public boolean matches(String value) {
    if (value == null) {
      return false;
    }
    return literal != null ? literal.equals(value) : pattern.matcher(value).matches();
  }

  @Override
  public String toString() {
    return source;
  }
}
