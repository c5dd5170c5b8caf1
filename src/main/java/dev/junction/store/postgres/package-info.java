/**
 * The PostgreSQL store, for several nodes sharing one database. Built on the reactive
 * {@code vertx-pg-client}: every call is non-blocking and pipelined on pooled connections.
 * Documents are JSON text, returned exactly as written, beside indexed columns that mirror the
 * embedded schema. A session's sequence is assigned inside the writing transaction under a row lock
 * on the session, so nodes writing the same session still produce one gap-free log.
 */
package dev.junction.store.postgres;
