package dev.junction.tools;

import dev.junction.provider.Cancellation;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.List;

/**
 * One session's jail. Futures complete on the Vert.x context of the caller.
 *
 * <p>Time limits and cancellation kill every process of the jail, including children the command
 * left in the background, because a partial kill can leave a process that holds the output pipe
 * or keeps spinning. The persistent shell is then gone and the next {@link #shell} call starts a
 * fresh one.
 */
public interface SandboxSession {

  /** @return what this jail was opened with */
  SandboxSpec spec();

  /**
   * Runs {@code command} in the session's persistent bash, so {@code cd}, variables and functions
   * carry over to later calls. Stdin of the command is empty; stdout and stderr are interleaved.
   * Calls are serialised: a second call waits for the first.
   *
   * @param command      bash source
   * @param timeout      how long it may run (already capped by the caller)
   * @param cancellation flipping it kills the jail and completes the future promptly
   * @return how it ended and its bounded output
   */
  Future<ExecResult> shell(String command, Duration timeout, Cancellation cancellation);

  /**
   * Kills the persistent shell and all its processes; the next {@link #shell} call starts afresh.
   *
   * @return completes when the processes are gone
   */
  Future<Void> restartShell();

  /**
   * Runs one program in a fresh jail with the same view as the shell (used by the file tools, so
   * that every path they touch is resolved by the jail's kernel view, not by the host).
   *
   * @param argv         program and arguments, not interpreted by a shell
   * @param stdin        bytes fed to its stdin, then closed
   * @param maxStdout    most stdout bytes kept (head only: callers parse it)
   * @param timeout      how long it may run
   * @param cancellation flipping it kills the process tree
   * @return how it ended with its output
   */
  Future<ExecResult> exec(List<String> argv, byte[] stdin, int maxStdout, Duration timeout, Cancellation cancellation);

  /**
   * Kills everything running in this jail. The host directories stay (they hold the session's files).
   *
   * @return completes when the processes are gone
   */
  Future<Void> close();
}
