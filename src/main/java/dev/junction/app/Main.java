package dev.junction.app;

import dev.junction.config.ConfigException;
import dev.junction.config.ConfigLoader;
import dev.junction.config.JunctionConfig;
import dev.junction.provider.ProviderConfigs;
import dev.junction.routing.YamlRouteTable;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** {@code java -jar junction.jar serve|check|demo|export|import|--help}. */
public final class Main {
  private static final String USAGE = """
      Junction: a self-hosted gateway that speaks the Claude Managed Agents API.

      Usage: java -jar junction.jar <command> [--config PATH]

      Commands:
        serve    start the gateway (default config: config/junction.yaml)
        demo     simulated Claude, GPT and Qwen, a gateway, and an agent session through Claude's off
                 day: prints the routing timeline, then keeps the gateway up (--once: exit; --port N)
        check    validate the configuration and exit; non-zero with the file, key and fix on error
        export   write every agent (all versions), environment, session and event of the configured
                 store as JSON Lines: --out FILE|- (default -, standard output; FILE.gz is gzipped)
        import   load an export into the configured store, all or nothing: --in FILE|- (default -,
                 standard input; gzip is recognised); the store must be empty unless --merge is given
        --help   print this text

      Environment overrides:
        JUNCTION_PORT        listen port (0 picks a free one)
        JUNCTION_DATA_DIR    where the embedded database lives
        JUNCTION_API_KEYS    client keys as key:tenant,key:tenant
        JUNCTION_ADMIN_KEYS  operator keys as key,key
        JUNCTION_DATABASE_URL  postgresql://... selects the PostgreSQL store (serve, export, import)
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
        return check(configPath, out, err);
      }
      case "serve" -> {
        return serve(configPath, out, err);
      }
      case "demo" -> {
        return Demo.run(rest.subList(1, rest.size()), out, err);
      }
      case "export" -> {
        return TransferCommand.export(rest.subList(1, rest.size()), configPath, System.getenv(), out, err);
      }
      case "import" -> {
        return TransferCommand.importFrom(rest.subList(1, rest.size()), configPath, System.getenv(), System.in, err);
      }
      default -> {
        err.println("unknown command '" + command + "'\n");
        err.print(USAGE);
        return 2;
      }
    }
  }

  /** Validates the configuration, then the route files against the providers it configures. */
  private static int check(Path configPath, PrintStream out, PrintStream err) {
    JunctionConfig config;
    Set<String> providers;
    try {
      config = new ConfigLoader(System.getenv()).load(configPath);
      providers = providerNames(config);
    } catch (ConfigException e) {
      err.println("configuration error: " + e.getMessage());
      return 1;
    }
    int status = 0;
    out.println("configuration OK: " + configPath + " (port " + config.server().port() + ", store "
        + config.store().type() + " at " + config.store().dataDir() + ", " + config.apiKeys().size() + " API key(s), "
        + "providers " + (providers.isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(providers))) + ")");
    List<String> problems = YamlRouteTable.validate(config.routesDir(), providers);
    if (problems.isEmpty()) {
      out.println("routes OK: " + config.routesDir());
    } else {
      // each problem already names its file, route and key, and says how to fix it
      err.println("route error" + (problems.size() == 1 ? "" : "s") + " in " + config.routesDir() + ":");
      problems.forEach(p -> err.println("  " + p));
      status = 1;
    }
    if (config.apiKeys().isEmpty()) {
      err.println("warning: no API key configured; serve will refuse to start. "
          + "Set JUNCTION_API_KEYS=<key>:<tenant> or add auth.api_keys to " + configPath);
      status = 1;
    }
    return status;
  }

  /** The providers {@code serve} would configure: those whose settings are complete. */
  private static Set<String> providerNames(JunctionConfig config) {
    try {
      Set<String> names = new HashSet<>();
      ProviderConfigs.parse(config.providers(), config.env()).providers().forEach(p -> names.add(p.name()));
      return names;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(config.source(), "providers", e.getMessage(), "see the providers section of README.md");
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
