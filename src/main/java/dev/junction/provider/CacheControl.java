package dev.junction.provider;

/**
 * An Anthropic prompt-cache breakpoint ({@code {"type":"ephemeral","ttl":"1h"}}). Other providers
 * cache automatically, so their encoders ignore it.
 *
 * @param type always {@code ephemeral} today
 * @param ttl {@code 5m}, {@code 1h} or null for the provider default
 */
public record CacheControl(String type, String ttl) {
  public static final CacheControl EPHEMERAL = new CacheControl("ephemeral", null);
}
