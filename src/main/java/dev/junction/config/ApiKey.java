package dev.junction.config;

/**
 * A client credential: only its SHA-256 is kept, so a heap dump or a config file never holds a key.
 *
 * @param sha256 lowercase hex SHA-256 of the key
 * @param tenant the tenant every object created with this key belongs to
 */
public record ApiKey(String sha256, String tenant) {

  @Override
  public String toString() {
    return "ApiKey[tenant=" + tenant + "]";
  }
}
