package dev.junction.tools.bwrap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts each jail's processes and kills a jail that has too many. {@code ulimit -u} does this in the
 * kernel, but the kernel exempts uid 0, and a gateway running as root maps its jails to host uid 0;
 * then only this check stands between a fork bomb and the host's pid table. One sweep walks the
 * host's process list once for all jails, so its cost does not grow with the number of sessions.
 */
final class ProcessWatchdog {
  private record Watch(int max, Runnable onExceeded) {
  }

  private final Map<Process, Watch> watched = new ConcurrentHashMap<>();
  private final AtomicBoolean sweeping = new AtomicBoolean();

  /** @return whether the kernel would exempt our jails from {@code ulimit -u} (we run as uid 0) */
  static boolean needed() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (Exception e) {
      return false;
    }
  }

  /** Watches the jail rooted at {@code root}; {@code onExceeded} runs once, on a sweeping thread. */
  void watch(Process root, int max, Runnable onExceeded) {
    watched.put(root, new Watch(max, onExceeded));
  }

  void unwatch(Process root) {
    watched.remove(root);
  }

  /** One pass over the host's processes. Blocking (reads /proc); run on an I/O thread. */
  void sweep() {
    if (watched.isEmpty() || !sweeping.compareAndSet(false, true)) {
      return;
    }
    try {
      Map<Long, List<Long>> children = new HashMap<>();
      ProcessHandle.allProcesses().forEach(p -> p.parent().ifPresent(
          parent -> children.computeIfAbsent(parent.pid(), k -> new ArrayList<>()).add(p.pid())));
      watched.forEach((root, w) -> {
        if (!root.isAlive()) {
          watched.remove(root);
        } else if (descendants(children, root.pid(), w.max()) > w.max() && watched.remove(root) != null) {
          w.onExceeded().run();
        }
      });
    } finally {
      sweeping.set(false);
    }
  }

  /** Counts descendants breadth-first, stopping as soon as the count passes {@code max}. */
  private static int descendants(Map<Long, List<Long>> children, long root, int max) {
    ArrayDeque<Long> todo = new ArrayDeque<>(List.of(root));
    int n = 0;
    while (!todo.isEmpty() && n <= max) {
      for (Long c : children.getOrDefault(todo.poll(), List.of())) {
        n++;
        todo.add(c);
      }
    }
    return n;
  }
}
