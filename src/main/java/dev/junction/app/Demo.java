package dev.junction.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.junction.app.SimulatedProvider.Wire;
import dev.junction.config.ConfigLoader;
import dev.junction.config.JunctionConfig;
import dev.junction.routing.BreakerTransition;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * {@code junction demo}: simulated Claude, GPT and Qwen on loopback, a gateway on the embedded store
 * in a temporary directory, and an agent session that lives through Claude's off day while the
 * timeline is printed. Then the gateway stays up for curl or an SDK ({@code --once}: it stops).
 */
final class Demo {
  private static final String USAGE = "usage: java -jar junction.jar demo [--once] [--port N]";

  private Demo() {
  }

  /** @return the process exit status */
  static int run(List<String> args, PrintStream out, PrintStream err) {
    boolean once = false;
    int port = 8080;
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--once", "--exit" -> once = true;
        case "--port" -> {
          if (i + 1 >= args.size() || !args.get(i + 1).matches("\\d{1,5}")) {
            err.println("--port needs a number (0 picks a free port)\n" + USAGE);
            return 2;
          }
          port = Integer.parseInt(args.get(++i));
        }
        default -> {
          err.println("unknown option '" + args.get(i) + "'\n" + USAGE);
          return 2;
        }
      }
    }
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      // the timeline is the output; the gateway's own info logs would only interleave with it
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("junction-demo");
    } catch (IOException e) {
      err.println("cannot create a temporary directory: " + e.getMessage());
      return 1;
    }
    Vertx upstreamVertx = Vertx.vertx();
    List<Junction> gateway = new ArrayList<>(1);
    AtomicBoolean closed = new AtomicBoolean();
    boolean keptUp = false;
    Runnable cleanup = () -> {
      if (closed.compareAndSet(false, true)) {
        gateway.forEach(g -> await(g.close()));
        await(upstreamVertx.close());
        delete(dir);
      }
    };
    try {
      SimulatedProvider claude = await(SimulatedProvider.start(upstreamVertx, "Claude", Wire.ANTHROPIC));
      SimulatedProvider gpt = await(SimulatedProvider.start(upstreamVertx, "GPT", Wire.OPENAI_CHAT));
      SimulatedProvider qwen = await(SimulatedProvider.start(upstreamVertx, "Qwen", Wire.OPENAI_CHAT));
      String key = "demo-" + random();
      String adminKey = "demo-admin-" + random();
      Junction junction = startGateway(dir, port, claude, gpt, qwen, key, adminKey, err);
      gateway.add(junction);
      ConcurrentLinkedQueue<BreakerTransition> transitions = new ConcurrentLinkedQueue<>();
      junction.routing().registry().onTransition(transitions::add);
      String url = "http://127.0.0.1:" + junction.port();
      out.println("Junction demo: simulated Claude, GPT and Qwen on loopback; a gateway on the embedded store.");
      out.println();
      out.printf("  gateway    %s   (data in %s, removed on exit)%n", url, dir);
      out.printf("  upstreams  Claude %s (Anthropic Messages), GPT %s and Qwen %s (Chat Completions)%n",
          claude.baseUrl(), gpt.baseUrl(), qwen.baseUrl());
      out.println("  route      demo: try [claude, gpt, qwen]; Claude's breaker opens at 50% failures over 4 calls,");
      out.println("             stays open 3 s, and closes after one good half-open probe");
      out.println();
      try (DemoClient client = new DemoClient(url, key)) {
        new DemoRun(client, adminKey, Map.of("claude", claude, "gpt", gpt, "qwen", qwen), transitions, out).play();
      }
      if (once) {
        return 0;
      }
      List.of(claude, gpt, qwen).forEach(p -> p.mood(SimulatedProvider.Mood.HEALTHY));
      printTryIt(out, url, key, adminKey);
      Runtime.getRuntime().addShutdownHook(new Thread(cleanup));
      keptUp = true;
      Thread.currentThread().join();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } catch (RuntimeException e) {
      err.println("demo failed: " + e.getMessage());
      return 1;
    } finally {
      if (!keptUp) {
        cleanup.run(); // otherwise the shutdown hook does it, when the process ends
      }
    }
  }

  /** The gateway on the requested port, or on a free one when that port is taken. */
  private static Junction startGateway(Path dir, int port, SimulatedProvider claude, SimulatedProvider gpt,
      SimulatedProvider qwen, String key, String adminKey, PrintStream err) {
    Path routes = dir.resolve("routes");
    try {
      Files.createDirectories(routes);
      Files.writeString(routes.resolve("demo.yaml"), DemoScenario.ROUTES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.putObject("server").put("host", "127.0.0.1").put("port", port).put("event_loops", 2);
    root.putObject("store").put("data_dir", dir.resolve("data").toString());
    root.put("routes", routes.toString());
    ObjectNode p = root.putObject("providers");
    p.putObject("anthropic").put("kind", "anthropic").put("base_url", claude.baseUrl()).put("api_key", "env:DEMO_ANTHROPIC_KEY");
    p.putObject("openai").put("kind", "openai").put("base_url", gpt.baseUrl() + "/v1").put("api_key", "env:DEMO_OPENAI_KEY");
    p.putObject("local-qwen").put("kind", "openai-compatible").put("dialect", "vllm").put("base_url", qwen.baseUrl() + "/v1");
    // The demo's own environment, not the process's: real provider keys or base URLs must not
    // redirect the simulated providers (serve is the command that uses them).
    Map<String, String> env = new LinkedHashMap<>();
    env.put("JUNCTION_API_KEYS", key + ":demo");
    env.put("JUNCTION_ADMIN_KEYS", adminKey);
    env.put("DEMO_ANTHROPIC_KEY", "simulated");
    env.put("DEMO_OPENAI_KEY", "simulated");
    JunctionConfig config = new ConfigLoader(env).fromTree("junction demo", root, dir);
    if (port != 0 && !free(port)) {
      err.println("port " + port + " is taken; the demo gateway uses a free port instead");
      config = config.withPort(0);
    }
    return await(Junction.start(config, Clock.systemUTC(), null));
  }

  /** Whether the loopback port can be bound now (a serve already running there is the usual reason not). */
  private static boolean free(int port) {
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void printTryIt(PrintStream out, String url, String key, String adminKey) {
    out.println();
    out.println("The gateway stays up with every simulated provider healthy again. Try it:");
    out.println();
    out.printf("  URL        %s%n", url);
    out.printf("  API key    %s%n", key);
    out.printf("  admin key  %s%n", adminKey);
    out.println();
    out.printf("  curl -s %s/v1/agents -H 'x-api-key: %s' -d '{\"name\":\"Helper\",\"model\":\"claude-sonnet-4-6\"}'%n", url, key);
    out.printf("  curl -s %s/admin/targets -H 'x-api-key: %s'%n", url, adminKey);
    out.printf("  curl -s %s/admin/targets/force-open -H 'x-api-key: %s' -d '{\"target\":\"anthropic/claude-sonnet-4-6\"}'%n",
        url, adminKey);
    out.printf("  curl -s %s/metrics | grep junction_failovers_total%n", url);
    out.printf("  Python SDK: Anthropic(base_url=\"%s\", api_key=\"%s\")%n", url, key);
    out.println();
    out.println("Ctrl-C stops it.");
    out.flush();
  }

  private static String random() {
    byte[] bytes = new byte[12];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException(cause.getMessage(), cause);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("timed out after 30 s", e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
