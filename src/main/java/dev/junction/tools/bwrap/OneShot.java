package dev.junction.tools.bwrap;

import dev.junction.provider.Cancellation;
import dev.junction.tools.ExecResult;
import dev.junction.tools.ExecResult.Ending;
import dev.junction.tools.Output;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Runs one jailed command to completion with its stdin fed, stdout and stderr captured (bounded),
 * a timeout and cancellation. Blocking: called on an I/O thread.
 */
final class OneShot {
  private static final int STDERR_CAP = 16 * 1024;

  private final Vertx vertx;
  private final Executor io;
  private final ProcessWatchdog watchdog;

  OneShot(Vertx vertx, Executor io, ProcessWatchdog watchdog) {
    this.vertx = vertx;
    this.io = io;
    this.watchdog = watchdog;
  }

  /**
   * @param running registry of live processes, so closing the session can kill this one
   * @param closed  whether the session was closed meanwhile
   */
  ExecResult run(List<String> argv, byte[] stdin, int maxStdout, Duration timeout, int maxProcesses,
                 Cancellation cancellation, Set<Process> running, BooleanSupplier closed) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().clear();
    Process p = pb.start();
    running.add(p);
    if (closed.getAsBoolean()) {
      // close() may have swept the registry just before this process was added.
      ProcessTree.kill(p);
    }
    AtomicReference<Ending> stop = new AtomicReference<>();
    Runnable kill = () -> io.execute(() -> ProcessTree.kill(p));
    long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
      if (stop.compareAndSet(null, Ending.TIMED_OUT)) {
        kill.run();
      }
    });
    watchdog.watch(p, maxProcesses, () -> {
      if (stop.compareAndSet(null, Ending.PROCESS_LIMIT)) {
        ProcessTree.kill(p);
      }
    });
    Runnable unregister = cancellation.onCancel(() -> {
      if (stop.compareAndSet(null, Ending.CANCELLED)) {
        kill.run();
      }
    });
    try {
      // stdin, stdout and stderr each get a thread, so a process that prints before reading its
      // input, or fills one pipe while we wait on another, cannot deadlock against us.
      CompletableFuture.runAsync(() -> feed(p.getOutputStream(), stdin), io);
      CompletableFuture<Output> stderr = CompletableFuture.supplyAsync(() -> {
        OutputCapture err = OutputCapture.headOnly(STDERR_CAP);
        drain(p.getErrorStream(), err);
        return err.toOutput();
      }, io);
      OutputCapture out = OutputCapture.headOnly(maxStdout);
      drain(p.getInputStream(), out);
      int code = p.waitFor();
      Output err = stderr.get();
      if (stop.compareAndSet(null, Ending.EXITED)) {
        return new ExecResult(Ending.EXITED, code, out.toOutput(), err);
      }
      return new ExecResult(stop.get(), -1, out.toOutput(), err);
    } finally {
      vertx.cancelTimer(timer);
      unregister.run();
      running.remove(p);
      watchdog.unwatch(p);
      if (p.isAlive()) {
        ProcessTree.kill(p);
      }
    }
  }

  private static void feed(OutputStream in, byte[] bytes) {
    try (in) {
      in.write(bytes);
    } catch (IOException ignored) {
      // The process exited without reading its input (e.g. a refused path); its status says why.
    }
  }

  private static void drain(InputStream s, OutputCapture capture) {
    byte[] buf = new byte[8192];
    try (s) {
      int n;
      while ((n = s.read(buf)) >= 0) {
        capture.write(buf, 0, n);
      }
    } catch (IOException ignored) {
      // The pipe broke because the process was killed; what was read so far is the output.
    }
  }

}
