package dev.junction.tools.bwrap;

import java.util.List;
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
    List<ProcessHandle> descendants = handle.descendants().toList();
    for (ProcessHandle d : descendants) {
      d.destroyForcibly();
    }
    root.destroyForcibly();
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
