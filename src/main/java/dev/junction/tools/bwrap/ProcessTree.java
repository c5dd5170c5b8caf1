package dev.junction.tools.bwrap;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Kills a jail: bwrap and every descendant. bwrap's pid namespace already takes all jailed
 * processes down when its init dies, but descendants are also killed one by one so nothing depends
 * on a single mechanism (a daemonised grandchild is still a descendant of the namespace's init).
 */
final class ProcessTree {
  private ProcessTree() {
  }

  /** Sends SIGKILL to {@code root} and all its descendants and waits (bounded) for them to go. */
  static void kill(Process root) {
    ProcessHandle handle = root.toHandle();
    // Read before it dies: bwrap forks its namespace's init with the same command line, and a fork
    // that lands between the listing below and the kill of the root outlives it (its parent-death
    // signal does not survive bwrap's change of credentials), keeping the jail and its pipes alive.
    Optional<String> command = handle.info().commandLine();
    Optional<Instant> started = handle.info().startInstant();
    List<ProcessHandle> descendants = new ArrayList<>(handle.descendants().toList());
    for (ProcessHandle d : descendants) {
      d.destroyForcibly();
    }
    root.destroyForcibly();
    if (command.isPresent() && started.isPresent()) {
      ProcessHandle.allProcesses()
          .filter(p -> p.pid() != handle.pid() && p.info().commandLine().equals(command)
              && p.info().startInstant().map(s -> !s.isBefore(started.get())).orElse(false))
          .forEach(escaped -> {
            escaped.descendants().forEach(d -> {
              d.destroyForcibly();
              descendants.add(d);
            });
            escaped.destroyForcibly();
            descendants.add(escaped);
          });
    }
    try {
      root.waitFor(5, TimeUnit.SECONDS);
      for (ProcessHandle d : descendants) {
        d.onExit().get(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // A process that does not die within seconds of SIGKILL is stuck in the kernel; nothing more
      // can be done from here.
    }
  }
}
