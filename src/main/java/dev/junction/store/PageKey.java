package dev.junction.store;

/**
 * A position in a list ordered by (sortKey, id): creation time for resources, sequence for events.
 *
 * @param sortKey primary ordering value
 * @param id      tie breaker
 */
public record PageKey(long sortKey, String id) {
}
