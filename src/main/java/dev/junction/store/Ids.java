package dev.junction.store;

import java.security.SecureRandom;

/**
 * MA-style identifiers: a type prefix and 24 base-62 characters, time-ordered in their first 8
 * characters so ids sort roughly by creation, with 96 random bits so they cannot be guessed.
 */
public final class Ids {
  private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {
  }

  public static String next(String prefix, long nowMillis) {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return id(prefix, nowMillis, bytes);
  }

  /**
   * An id of the same form for what it only names and never guards: request ids, and event ids
   * (reading an event takes its session's tenant key). Its random part comes from a per-thread generator, not the shared secure
   * one, which serialises every caller and reads the kernel's pool.
   */
  public static String nextUnguarded(String prefix, long nowMillis) {
    byte[] bytes = new byte[16];
    java.util.concurrent.ThreadLocalRandom.current().nextBytes(bytes);
    return id(prefix, nowMillis, bytes);
  }

  private static String id(String prefix, long nowMillis, byte[] random) {
    char[] out = new char[24];
    long t = nowMillis;
    for (int i = 7; i >= 0; i--) {
      out[i] = ALPHABET[(int) (t % 62)];
      t /= 62;
    }
    for (int i = 8; i < 24; i++) {
      out[i] = ALPHABET[(random[i - 8] & 0xff) % 62];
    }
    return prefix + "_" + new String(out);
  }
}
