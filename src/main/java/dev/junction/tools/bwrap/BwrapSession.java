package dev.junction.tools.bwrap;

import dev.junction.tools.Cancellation;
import dev.junction.tools.ExecResult;
import dev.junction.tools.ExecResult.Ending;
import dev.junction.tools.Output;
import dev.junction.tools.SandboxSession;
import dev.junction.tools.SandboxSpec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One session's bwrap jail. Blocking process I/O runs on the sandbox's I/O threads; timeouts are
 * Vert.x timers; results are handed back on the caller's context. Kills are also sent to the I/O
 * threads because waiting for a killed process to be reaped is blocking.
 */
final class BwrapSession implements SandboxSession {
  private static final int STDERR_CAP = 16 * 1024;

  private final Vertx vertx;
  private final SandboxSpec spec;
  private final JailLayout layout;
  private final Executor io;
  private final Set<Process> oneShots = ConcurrentHashMap.newKeySet();
  private PersistentShell shell;
  private Future<?> queue = Future.succeededFuture();
  private volatile boolean closed;

  BwrapSession(Vertx vertx, SandboxSpec spec, JailLayout layout, Executor io) {
    this.vertx = vertx;
    this.spec = spec;
    this.layout = layout;
    this.io = io;
  }

  @Override
  public SandboxSpec spec() {
    return spec;
  }

  @Override
  public Future<ExecResult> shell(String command, Duration timeout, Cancellation cancellation) {
    Context ctx = vertx.getOrCreateContext();
    Promise<ExecResult> promise = Promise.promise();
    Future<?> previous;
    synchronized (this) {
      previous = queue;
      queue = promise.future();
    }
    previous.onComplete(ignored -> io.execute(() -> runInShell(command, timeout, cancellation, ctx, promise)));
    return promise.future();
  }

  private void runInShell(String command, Duration timeout, Cancellation cancellation, Context ctx,
                          Promise<ExecResult> promise) {
    if (cancellation.isCancelled()) {
      ExecResult nothing = new ExecResult(Ending.CANCELLED, -1, Output.EMPTY, Output.EMPTY);
      ctx.runOnContext(v -> promise.complete(nothing));
      return;
    }
    PersistentShell sh;
    try {
      sh = currentShell();
    } catch (IOException | IllegalStateException e) {
      ctx.runOnContext(v -> promise.fail(e));
      return;
    }
    AtomicReference<Ending> stop = new AtomicReference<>();
    long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> stop(sh, stop, Ending.TIMED_OUT));
    Runnable unregister = cancellation.onCancel(() -> stop(sh, stop, Ending.CANCELLED));
    OutputCapture capture = OutputCapture.headAndTail(spec.limits().outputBytes());
    Integer status;
    try {
      status = sh.run(command, capture);
    } catch (IOException e) {
      status = null;
    }
    vertx.cancelTimer(timer);
    unregister.run();
    ExecResult result;
    if (status != null && stop.compareAndSet(null, Ending.EXITED)) {
      result = new ExecResult(Ending.EXITED, status, capture.toOutput(), Output.EMPTY);
    } else {
      stop.compareAndSet(null, Ending.SHELL_EXITED);
      sh.kill();
      forget(sh);
      int code = stop.get() == Ending.SHELL_EXITED ? exitValue(sh.process()) : -1;
      result = new ExecResult(stop.get(), code, capture.toOutput(), Output.EMPTY);
    }
    ctx.runOnContext(v -> promise.complete(result));
  }

  private void stop(PersistentShell sh, AtomicReference<Ending> stop, Ending why) {
    if (stop.compareAndSet(null, why)) {
      io.execute(sh::kill);
    }
  }

  private synchronized PersistentShell currentShell() throws IOException {
    if (closed) {
      throw new IllegalStateException("sandbox of session " + spec.sessionId() + " is closed");
    }
    if (shell == null || !shell.alive()) {
      shell = PersistentShell.start(layout.argv(spec, List.of("/bin/bash", "--noprofile", "--norc")));
    }
    return shell;
  }

  private synchronized void forget(PersistentShell sh) {
    if (shell == sh) {
      shell = null;
    }
  }

  @Override
  public Future<Void> restartShell() {
    Context ctx = vertx.getOrCreateContext();
    Promise<Void> promise = Promise.promise();
    Future<?> previous;
    synchronized (this) {
      previous = queue;
      queue = promise.future();
    }
    previous.onComplete(ignored -> io.execute(() -> {
      killShell();
      ctx.runOnContext(v -> promise.complete());
    }));
    return promise.future();
  }

  private void killShell() {
    PersistentShell sh;
    synchronized (this) {
      sh = shell;
      shell = null;
    }
    if (sh != null) {
      sh.kill();
    }
  }

  @Override
  public Future<ExecResult> exec(List<String> argv, byte[] stdin, int maxStdout, Duration timeout,
                                 Cancellation cancellation) {
    Context ctx = vertx.getOrCreateContext();
    Promise<ExecResult> promise = Promise.promise();
    io.execute(() -> {
      try {
        ExecResult r = runOnce(argv, stdin, maxStdout, timeout, cancellation);
        ctx.runOnContext(v -> promise.complete(r));
      } catch (Exception e) {
        ctx.runOnContext(v -> promise.fail(e));
      }
    });
    return promise.future();
  }

  private ExecResult runOnce(List<String> argv, byte[] stdin, int maxStdout, Duration timeout,
                             Cancellation cancellation) throws Exception {
    if (closed) {
      throw new IllegalStateException("sandbox of session " + spec.sessionId() + " is closed");
    }
    ProcessBuilder pb = new ProcessBuilder(layout.argv(spec, argv));
    pb.environment().clear();
    Process p = pb.start();
    oneShots.add(p);
    if (closed) {
      // close() may have swept the set just before this process was added.
      ProcessTree.kill(p);
    }
    AtomicReference<Ending> stop = new AtomicReference<>();
    Runnable kill = () -> io.execute(() -> ProcessTree.kill(p));
    long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
      if (stop.compareAndSet(null, Ending.TIMED_OUT)) {
        kill.run();
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
      oneShots.remove(p);
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

  private static int exitValue(Process p) {
    try {
      return p.exitValue();
    } catch (IllegalThreadStateException e) {
      return -1;
    }
  }

  @Override
  public Future<Void> close() {
    closed = true;
    Context ctx = vertx.getOrCreateContext();
    Promise<Void> promise = Promise.promise();
    io.execute(() -> {
      killShell();
      for (Process p : List.copyOf(oneShots)) {
        ProcessTree.kill(p);
      }
      ctx.runOnContext(v -> promise.complete());
    });
    return promise.future();
  }
}
