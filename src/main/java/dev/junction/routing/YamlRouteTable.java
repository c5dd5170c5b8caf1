package dev.junction.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A {@link RouteTable} read from every {@code *.yaml}/{@code *.yml} file of a directory (in file
 * name order). Target names are global across files; routes are evaluated by descending
 * {@code priority}, then file, then position. See {@code routes/default.yaml} for the schema.
 *
 * <p>Loading validates everything and fails with one {@link RouteConfigException} listing every
 * problem; a table that loaded is internally consistent.
 */
public final class YamlRouteTable implements RouteTable {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Route IMPLICIT = new Route("implicit-requested", "(built in)", Integer.MIN_VALUE, Match.ANY,
      List.of(Route.REQUESTED), Strategy.ORDERED, Map.of(), 1000, null, null, null);

  private final List<Route> routes;
  private final Map<String, Target> targets;
  private final Map<String, BreakerSettings> breakers;
  private final NativeProviders natives;

  private YamlRouteTable(List<Route> routes, Map<String, Target> targets, Map<String, BreakerSettings> breakers,
      NativeProviders natives) {
    this.routes = List.copyOf(routes);
    this.targets = Map.copyOf(targets);
    this.breakers = Map.copyOf(breakers);
    this.natives = natives;
  }

  /**
   * Reads and validates a directory of route files. Blocking (file IO): call it from a worker.
   *
   * @param providerNames the configured providers targets may name
   * @throws RouteConfigException listing every problem, each naming file, route and key
   */
  public static YamlRouteTable load(Path dir, Set<String> providerNames) {
    return parse(read(dir), providerNames);
  }

  /**
   * What {@code junction check} prints: every problem of the directory's route files, empty when
   * the table would load.
   */
  public static List<String> validate(Path dir, Set<String> providerNames) {
    try {
      load(dir, providerNames);
      return List.of();
    } catch (RouteConfigException e) {
      return e.problems();
    }
  }

  /** Parses file contents keyed by file name (for tests and embedded tables). */
  public static YamlRouteTable parse(Map<String, String> files, Set<String> providerNames) {
    List<String> problems = new ArrayList<>();
    List<RouteFileParser> parsed = new ArrayList<>();
    for (Map.Entry<String, String> file : new TreeMap<>(files).entrySet()) {
      RouteFileParser parser = new RouteFileParser(file.getKey(), problems);
      try {
        parser.parse(YAML.readTree(file.getValue()));
      } catch (IOException e) {
        parser.problem(null, null, "is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
      }
      parsed.add(parser);
    }
    return assemble(parsed, providerNames, problems);
  }

  private static YamlRouteTable assemble(List<RouteFileParser> files, Set<String> providerNames,
      List<String> problems) {
    Map<String, String> targetFile = new HashMap<>();
    Map<String, Target> targets = new LinkedHashMap<>();
    Map<String, BreakerSettings> breakers = new LinkedHashMap<>();
    Map<String, String> nativeNames = new HashMap<>();
    for (RouteFileParser file : files) {
      for (RouteFileParser.TargetEntry entry : file.targets.values()) {
        String name = entry.target().name();
        String where = "target '" + name + "'";
        if (targetFile.containsKey(name)) {
          file.problem(where, null, "is also defined in " + targetFile.get(name) + "; target names are global");
          continue;
        }
        targetFile.put(name, file.file);
        if (!providerNames.contains(entry.target().provider())) {
          if (!entry.optional()) {
            file.problem(where, "provider", "unknown provider '" + entry.target().provider() + "'; configure it under "
                + "'providers:' in config/junction.yaml, use one of " + sorted(providerNames)
                + ", or mark the target 'optional: true'");
          }
          continue; // an optional target of an unconfigured provider is left out of plans
        }
        targets.put(name, entry.target());
        if (entry.breaker() != null) {
          breakers.putIfAbsent(entry.target().id(), entry.breaker());
        }
      }
      for (Map.Entry<String, String> n : file.natives.entrySet()) {
        if (!providerNames.contains(n.getValue())) {
          file.problem(null, "native." + n.getKey(), "unknown provider '" + n.getValue() + "'; use one of "
              + sorted(providerNames));
        } else {
          nativeNames.put(n.getKey(), n.getValue());
        }
      }
    }
    List<Route> routes = new ArrayList<>();
    Map<String, String> routeFile = new HashMap<>();
    for (RouteFileParser file : files) {
      for (Route route : file.routes) {
        String where = "route '" + route.name() + "'";
        if (routeFile.containsKey(route.name())) {
          file.problem(where, "name", "is also used in " + routeFile.get(route.name()) + "; route names are unique");
        }
        routeFile.put(route.name(), file.file);
        for (int i = 0; i < route.targets().size(); i++) {
          String name = route.targets().get(i);
          if (!Route.REQUESTED.equals(name) && !targetFile.containsKey(name)) {
            file.problem(where, "try[" + i + "]", "unknown target '" + name + "'; define it under 'targets:' or use one of "
                + sorted(targetFile.keySet()) + " or 'requested'");
          }
        }
        routes.add(route);
      }
    }
    if (!problems.isEmpty()) {
      throw new RouteConfigException(problems);
    }
    // stable sort: equal priorities keep file order, then position
    routes.sort(Comparator.comparingInt(Route::priority).reversed());
    NativeProviders natives = NativeProviders.resolve(providerNames, nativeNames.get("anthropic"),
        nativeNames.get("openai"), nativeNames.get("local"));
    return new YamlRouteTable(routes, targets, breakers, natives);
  }

  private static Map<String, String> read(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new RouteConfigException(List.of(dir + ": is not a directory; create it with at least default.yaml"));
    }
    Map<String, String> files = new LinkedHashMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path file : list.filter(YamlRouteTable::isRouteFile).sorted().toList()) {
        files.put(dir.resolve(file.getFileName()).toString(), Files.readString(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read route files in " + dir, e);
    }
    return files;
  }

  static boolean isRouteFile(Path path) {
    String name = path.getFileName().toString();
    return (name.endsWith(".yaml") || name.endsWith(".yml")) && !name.startsWith(".");
  }

  private static String sorted(Collection<String> names) {
    return names.isEmpty() ? "(none)" : String.join(", ", names.stream().sorted().toList());
  }

  @Override
  public List<Route> routes() {
    return routes;
  }

  @Override
  public Map<String, Target> targets() {
    return targets;
  }

  @Override
  public NativeProviders natives() {
    return natives;
  }

  @Override
  public Route route(SubTask task, Attributes attributes) {
    for (Route route : routes) {
      if (route.when().matches(task, attributes)) {
        return route;
      }
    }
    return IMPLICIT;
  }

  @Override
  public BreakerSettings breakerSettings(String targetId) {
    return breakers.getOrDefault(targetId, BreakerSettings.DEFAULTS);
  }
}
