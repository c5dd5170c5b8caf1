/**
 * Incremental framing decoders for upstream bodies: UTF-8 lines from arbitrary buffer chunks,
 * server-sent events and newline-delimited JSON. They hold no provider knowledge; adapters feed
 * their output to per-protocol stream decoders.
 */
package dev.junction.provider.wire;
