package dev.junction.config;

/** A configuration problem, worded so an operator can fix it without reading code. */
public final class ConfigException extends RuntimeException {
  private final String file;
  private final String key;
  private final String fix;

  public ConfigException(String file, String key, String problem, String fix) {
    super(file + ": " + key + ": " + problem + (fix == null ? "" : ". Fix: " + fix), null, false, false);
    this.file = file;
    this.key = key;
    this.fix = fix;
  }

  public String file() {
    return file;
  }

  public String key() {
    return key;
  }

  public String fix() {
    return fix;
  }
}
