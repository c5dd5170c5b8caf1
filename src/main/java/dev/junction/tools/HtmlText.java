package dev.junction.tools;

import java.util.regex.Pattern;

/**
 * Reduces HTML to readable text for the model: scripts, styles and tags go, block elements become
 * line breaks, common entities are decoded, blank runs collapse. Not a parser; good enough for
 * reading a page, and it never executes anything.
 */
final class HtmlText {
  private static final Pattern INVISIBLE = Pattern.compile("(?is)<(script|style|noscript|template|svg|head)\\b.*?</\\1\\s*>");
  private static final Pattern COMMENT = Pattern.compile("(?s)<!--.*?-->");
  private static final Pattern BLOCK = Pattern.compile("(?i)<\\s*(br|/p|/div|/tr|/h[1-6]|/section|/article|/pre|/blockquote|/table|hr)\\b[^>]*>");
  private static final Pattern LIST_ITEM = Pattern.compile("(?i)<\\s*li\\b[^>]*>");
  private static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");
  private static final Pattern SPACES = Pattern.compile("[ \\t\\x0B\\f\\r]+");
  private static final Pattern BLANK_LINES = Pattern.compile("\\n\\s*\\n\\s*(\\n\\s*)+");

  private HtmlText() {
  }

  static String toText(String html) {
    String s = COMMENT.matcher(html).replaceAll("");
    s = INVISIBLE.matcher(s).replaceAll("");
    s = BLOCK.matcher(s).replaceAll("\n");
    s = LIST_ITEM.matcher(s).replaceAll("\n- ");
    s = TAG.matcher(s).replaceAll("");
    s = s.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
        .replace("&#39;", "'").replace("&apos;", "'").replace("&amp;", "&");
    s = SPACES.matcher(s).replaceAll(" ");
    s = s.lines().map(String::strip).reduce((a, b) -> a + "\n" + b).orElse("");
    return BLANK_LINES.matcher(s).replaceAll("\n\n").strip();
  }
}
