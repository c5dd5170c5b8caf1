package dev.junction.tools;

/** Looks for jailed processes from the host side, where the jail's pid namespace does not hide them. */
public final class HostProcesses {
  private HostProcesses() {
  }

  /** @return how many host processes have {@code token} in their command line */
  public static long withArgument(String token) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.isAlive() && p.info().commandLine().map(c -> c.contains(token)).orElse(false))
        .count();
  }
}
