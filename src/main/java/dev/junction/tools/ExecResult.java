package dev.junction.tools;

/**
 * How a command in the jail ended and what it printed.
 *
 * @param ending   why it stopped
 * @param exitCode the exit status when {@code ending} is {@link Ending#EXITED}; -1 otherwise
 * @param stdout   standard output (for the shell: stdout and stderr interleaved, as a terminal shows)
 * @param stderr   standard error of one-shot commands; empty for the shell
 */
public record ExecResult(Ending ending, int exitCode, Output stdout, Output stderr) {

  /** Why a command stopped. */
  public enum Ending {
    /** It finished by itself. */
    EXITED,
    /** It ran past its timeout and the jail's processes were killed. */
    TIMED_OUT,
    /** The caller cancelled it and the jail's processes were killed. */
    CANCELLED,
    /** The persistent shell itself went away (e.g. the command ran {@code exit}). */
    SHELL_EXITED,
    /** The jail ran more processes than its limit allows and all of them were killed. */
    PROCESS_LIMIT
  }
}
