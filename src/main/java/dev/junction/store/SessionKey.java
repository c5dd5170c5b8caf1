package dev.junction.store;

/**
 * A session and its owner.
 *
 * @param tenant    owner
 * @param sessionId session id
 */
public record SessionKey(String tenant, String sessionId) {
}
