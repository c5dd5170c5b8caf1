package dev.junction.provider;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Maps foreign tool-call ids to Anthropic's pattern {@code ^[a-zA-Z0-9_-]+$} (at most 64 chars) and
 * back. Valid ids pass through unchanged. Others become {@code jx1_} + base64url of their UTF-8
 * bytes, which is reversible; ids too long for that become {@code jxh_} + a SHA-256 prefix, which
 * is not reversible but deterministic, so a call and its result still pair up when the history is
 * sent back (providers only require the two to match). The {@code jx1_}/{@code jxh_} prefixes are
 * reserved.
 */
public final class ToolIds {
  private static final Pattern VALID = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
  private static final String REVERSIBLE = "jx1_";
  private static final String HASHED = "jxh_";

  private ToolIds() {
  }

  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches();
  }

  public static String toAnthropic(String id) {
    if (isValid(id)) {
      return id;
    }
    String encoded = REVERSIBLE + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(id.getBytes(StandardCharsets.UTF_8));
    if (encoded.length() <= 64) {
      return encoded;
    }
    return HASHED + sha256(id).substring(0, 40);
  }

  public static String fromAnthropic(String id) {
    if (id != null && id.startsWith(REVERSIBLE)) {
      try {
        return new String(Base64.getUrlDecoder().decode(id.substring(REVERSIBLE.length())), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException notOurs) {
        return id;
      }
    }
    return id;
  }

  /** A deterministic id for a call the upstream did not name (text-parsed calls, Ollama native). */
  public static String synthesize(String responseId, int index) {
    return "toolu_jx" + sha256((responseId == null ? "" : responseId) + "#" + index).substring(0, 24);
  }

  private static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).replace('-', 'A').replace('_', 'B');
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}
