package dev.junction.store;

import java.util.List;

/**
 * One page of a keyset-paginated list.
 *
 * @param items   the page, in the requested order
 * @param next    the key after which the next page starts, or null at the end
 * @param prev    the key before which the previous page ends, or null at the start
 * @param <T>     item type
 */
public record Page<T>(List<T> items, PageKey next, PageKey prev) {
}
