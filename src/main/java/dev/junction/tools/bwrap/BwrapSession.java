package dev.junction.tools.bwrap;

import dev.junction.provider.Cancellation;
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
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One session's bwrap jail. Blocking process I/O runs on the sandbox's I/O threads; timeouts are
 * Vert.x timers; results are handed back on the caller's context. Kills are also sent to the I/O
 * threads because waiting for a killed process to be reaped is blocking.
 */
final class BwrapSession implements SandboxSession {
  private final Vertx vertx;
  private final SandboxSpec spec;
  private final JailLayout layout;
  private final Executor io;
  private final Set<Process> oneShots = ConcurrentHashMap.newKeySet();
  private final OneShot oneShot;
  private final ProcessWatchdog watchdog;
  /** How the running shell command ended, if it did; null while no command runs. */
  private volatile AtomicReference<Ending> running;
  private PersistentShell shell;
  private Future<?> queue = Future.succeededFuture();
  private volatile boolean closed;

  BwrapSession(Vertx vertx, SandboxSpec spec, JailLayout layout, Executor io, ProcessWatchdog watchdog) {
    this.vertx = vertx;
    this.spec = spec;
    this.layout = layout;
    this.io = io;
    this.watchdog = watchdog;
    this.oneShot = new OneShot(vertx, io, watchdog);
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
    running = stop;
    try {
      status = sh.run(command, capture);
    } catch (IOException e) {
      status = null;
    } finally {
      running = null;
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
      PersistentShell sh = PersistentShell.start(layout.argv(spec, List.of("/bin/bash", "--noprofile", "--norc")));
      // Watched for its whole life: background processes can multiply between commands too.
      watchdog.watch(sh.process(), spec.limits().processes(), () -> overLimit(sh));
      shell = sh;
    }
    return shell;
  }

  /** Runs on a sweeping I/O thread when the shell's jail has too many processes. */
  private void overLimit(PersistentShell sh) {
    AtomicReference<Ending> stop = running;
    if (stop != null) {
      stop.compareAndSet(null, Ending.PROCESS_LIMIT);
    }
    sh.kill();
    forget(sh);
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
        if (closed) {
          throw new IllegalStateException("sandbox of session " + spec.sessionId() + " is closed");
        }
        ExecResult r = oneShot.run(layout.argv(spec, argv), stdin, maxStdout, timeout, spec.limits().processes(),
            cancellation, oneShots,
            () -> closed);
        ctx.runOnContext(v -> promise.complete(r));
      } catch (Exception e) {
        ctx.runOnContext(v -> promise.fail(e));
      }
    });
    return promise.future();
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
