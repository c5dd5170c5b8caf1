/**
 * The agent loop. One {@link dev.junction.harness.SessionRunner} per active session folds the
 * session's event log into a conversation, decides the next step (call the model, run a tool, wait
 * for the client, go idle), performs it and appends the resulting events. Because every decision is
 * derived from the log, a runner can be rebuilt at any time, and a restarted gateway resumes a running
 * session without repeating a tool whose result is already logged.
 */
package dev.junction.harness;
