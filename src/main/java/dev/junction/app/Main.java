package dev.junction.app;

import dev.junction.config.ConfigException;
import dev.junction.config.ConfigLoader;
import dev.junction.config.JunctionConfig;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** {@code java -jar junction.jar serve|check|--help}. */
public final class Main {
  private static final String USAGE = """
      Junction: a self-hosted gateway that speaks the Claude Managed Agents API.

      Usage: java -jar junction.jar <command> [--config PATH]

      Commands:
        serve    start the gateway (default config: config/junction.yaml)
        check    validate the configuration and exit; non-zero with the file, key and fix on error
        --help   print this text

      Environment overrides:
        JUNCTION_PORT        listen port (0 picks a free one)
        JUNCTION_DATA_DIR    where the embedded database lives
        JUNCTION_API_KEYS    client keys as key:tenant,key:tenant
        JUNCTION_ADMIN_KEYS  operator keys as key,key
      """;

  private Main() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    List<String> rest = new ArrayList<>(List.of(args));
    Path configPath = Path.of("config/junction.yaml");
    int i = rest.indexOf("--config");
    if (i >= 0) {
      if (i + 1 >= rest.size()) {
        err.println("--config needs a path");
        return 2;
      }
      configPath = Path.of(rest.get(i + 1));
      rest.remove(i + 1);
      rest.remove(i);
    }
    String command = rest.isEmpty() ? "--help" : rest.get(0);
    switch (command) {
      case "--help", "-h", "help" -> {
        out.print(USAGE);
        return 0;
      }
      case "check" -> {
        try {
          JunctionConfig config = new ConfigLoader(System.getenv()).load(configPath);
          out.println("configuration OK: " + configPath + " (port " + config.server().port() + ", store "
              + config.store().type() + " at " + config.store().dataDir() + ", " + config.apiKeys().size() + " API key(s))");
          if (config.apiKeys().isEmpty()) {
            err.println("warning: no API key configured; serve will refuse to start. "
                + "Set JUNCTION_API_KEYS=<key>:<tenant> or add auth.api_keys to " + configPath);
            return 1;
          }
          return 0;
        } catch (ConfigException e) {
          err.println("configuration error: " + e.getMessage());
          return 1;
        }
      }
      case "serve" -> {
        return serve(configPath, out, err);
      }
      default -> {
        err.println("unknown command '" + command + "'\n");
        err.print(USAGE);
        return 2;
      }
    }
  }

  private static int serve(Path configPath, PrintStream out, PrintStream err) {
    long t0 = System.nanoTime();
    JunctionConfig config;
    try {
      config = new ConfigLoader(System.getenv()).load(configPath);
    } catch (ConfigException e) {
      err.println("configuration error: " + e.getMessage());
      return 1;
    }
    try {
      Junction j = Junction.start(config, Clock.systemUTC()).toCompletionStage().toCompletableFuture().join();
      out.printf("Junction listening on http://%s:%d (ready in %d ms, data in %s)%n", config.server().host(), j.port(),
          (System.nanoTime() - t0) / 1_000_000, config.store().dataDir());
      out.flush();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> j.close().toCompletionStage().toCompletableFuture().join()));
      Thread.currentThread().join();
      return 0;
    } catch (java.util.concurrent.CompletionException e) {
      err.println("cannot start: " + (e.getCause() == null ? e : e.getCause()).getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
