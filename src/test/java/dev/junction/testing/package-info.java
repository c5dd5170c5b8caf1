/**
 * Test fixtures shared across the project: the upstream fixture files with their manifest, and
 * {@link dev.junction.testing.FakeUpstream}, a scriptable model server for tests over real HTTP.
 */
package dev.junction.testing;
