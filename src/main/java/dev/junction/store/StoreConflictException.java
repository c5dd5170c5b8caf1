package dev.junction.store;

/**
 * A write that lost an optimistic-concurrency race or violated a state rule checked inside the write
 * transaction. Nothing was written. Callers map it to their own error; {@code code} says which rule.
 */
public final class StoreConflictException extends RuntimeException {
  private final String code;

  public StoreConflictException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
