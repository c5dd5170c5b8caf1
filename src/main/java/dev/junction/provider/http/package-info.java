/**
 * The HTTP machinery shared by every adapter: one Vert.x client pool per provider endpoint,
 * connect / first-token / idle / total timeouts on Vert.x timers, cancellation that resets the
 * upstream request, and a backpressured canonical event stream. Adapters plug in a
 * {@link dev.junction.provider.http.WireProtocol}.
 */
package dev.junction.provider.http;
