package dev.junction.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged gateway ({@code target/junction.jar serve}) as a separate process, for tests that kill
 * it with SIGKILL and start it again on the same data.
 */
public final class GatewayProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");
  private final Process process;
  private final int port;

  private GatewayProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts {@code serve --config configFile} and waits until it listens.
   *
   * @param env extra environment (keys, data directory, port)
   */
  public static GatewayProcess start(String configFile, Map<String, String> env) throws Exception {
    String jar = System.getProperty("junction.jar", "target/junction.jar");
    ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar, "serve", "--config", configFile));
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process process = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    int port = CompletableFuture.supplyAsync(() -> {
      try {
        String line;
        while ((line = out.readLine()) != null) {
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            return Integer.parseInt(m.group(1));
          }
        }
        throw new IllegalStateException("gateway exited before listening");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }).get(30, TimeUnit.SECONDS);
    // Keep draining output so the child never blocks on a full pipe.
    Thread drain = new Thread(() -> {
      try {
        while (out.readLine() != null) {
          // discard
        }
      } catch (IOException ignored) {
        // The process was killed.
      }
    });
    drain.setDaemon(true);
    drain.start();
    return new GatewayProcess(process, port);
  }

  public int port() {
    return port;
  }

  public Http http() {
    return new Http("http://127.0.0.1:" + port);
  }

  /** SIGKILL on Linux: no shutdown hook runs, nothing is flushed. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: the shutdown hook runs, as when an orchestrator stops the node. */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
