package dev.junction.tools.bwrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * One long-lived bash inside a jail, fed commands on stdin. Each command is followed by a line
 * printing a fresh random end marker and the command's exit status; output up to the marker is the
 * command's. The command runs via {@code eval} in the shell itself so {@code cd}, variables and
 * functions persist, with stdin from {@code /dev/null} so it cannot swallow the next command.
 *
 * <p>All methods block; callers run them on I/O threads.
 */
final class PersistentShell {
  private final Process process;
  private final InputStream out;
  private final OutputStream in;

  private PersistentShell(Process process) {
    this.process = process;
    this.out = process.getInputStream();
    this.in = process.getOutputStream();
  }

  static PersistentShell start(List<String> argv) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    // bwrap needs no environment and --clearenv empties the jail's; clearing here as well keeps
    // the gateway's variables (API keys) out of every process of the chain.
    pb.environment().clear();
    return new PersistentShell(pb.start());
  }

  Process process() {
    return process;
  }

  boolean alive() {
    return process.isAlive();
  }

  /**
   * Runs one command and captures its output.
   *
   * @return the exit status, or null when the shell went away before printing the marker
   */
  Integer run(String command, OutputCapture capture) throws IOException {
    String marker = "__JUNCTION_DONE_" + UUID.randomUUID().toString().replace("-", "") + "__:";
    String script = "{ eval '" + command.replace("'", "'\\''") + "'\n} </dev/null 2>&1; printf '%s%d\\n' '"
        + marker + "' \"$?\"\n";
    try {
      in.write(script.getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      return null;
    }
    return readUntil(marker.getBytes(StandardCharsets.US_ASCII), capture);
  }

  /**
   * Streams output into {@code capture} while looking for the marker. Only a window a little longer
   * than the marker is held back unflushed, so memory stays bounded whatever the command prints.
   */
  private Integer readUntil(byte[] marker, OutputCapture capture) throws IOException {
    byte[] window = new byte[16384 + marker.length + 16];
    int filled = 0;
    int keep = marker.length + 12;
    while (true) {
      int n = out.read(window, filled, window.length - filled);
      if (n < 0) {
        capture.write(window, 0, filled);
        return null;
      }
      filled += n;
      int at = indexOf(window, filled, marker);
      if (at >= 0) {
        int nl = indexOfByte(window, at + marker.length, filled, (byte) '\n');
        if (nl >= 0) {
          capture.write(window, 0, at);
          return Integer.parseInt(new String(window, at + marker.length, nl - at - marker.length,
              StandardCharsets.US_ASCII).trim());
        }
        if (filled == window.length) {
          // Cannot happen: the status is at most a few digits after the marker.
          throw new IOException("malformed end marker");
        }
        continue;
      }
      if (filled > keep) {
        int flush = filled - keep;
        capture.write(window, 0, flush);
        System.arraycopy(window, flush, window, 0, keep);
        filled = keep;
      }
    }
  }

  private static int indexOf(byte[] hay, int len, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= len; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static int indexOfByte(byte[] hay, int from, int len, byte b) {
    for (int i = from; i < len; i++) {
      if (hay[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** Kills the shell and everything it started. */
  void kill() {
    ProcessTree.kill(process);
    closeQuietly(in);
    closeQuietly(out);
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // Closing a pipe to a dead process can only fail harmlessly.
    }
  }
}
