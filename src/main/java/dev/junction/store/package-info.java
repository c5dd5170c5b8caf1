/**
 * Persistence SPI: agents with immutable versions, generic tenant-owned documents (environments and
 * later vaults, memory stores), sessions and their append-only event logs. Every method is asynchronous
 * and completes on the caller's Vert.x context, so the {@code api} and {@code session} packages never
 * block an event loop and never see SQL. {@code sqlite} is the embedded implementation; {@code postgres}
 * fills the same interfaces for several nodes sharing one database. {@code Transfer} moves every row
 * out of a store and into another (export and import), walking the tables both schemas share as
 * {@code TransferTable} describes them.
 */
package dev.junction.store;
