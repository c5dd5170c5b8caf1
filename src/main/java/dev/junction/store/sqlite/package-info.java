/**
 * The embedded store: one SQLite file in WAL mode under the data directory. All writes go through a
 * single writer thread that commits whatever is queued as one transaction (group commit), so an
 * append is durable before its future completes and throughput does not pay one fsync per event.
 * Reads run on a small pool of read-only connections, which WAL lets proceed beside the writer.
 */
package dev.junction.store.sqlite;
