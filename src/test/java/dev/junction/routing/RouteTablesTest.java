package dev.junction.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class RouteTablesTest {
  private static final Set<String> PROVIDERS = Set.of("openai", "anthropic");

  private static void write(Path dir, String route, String target) throws IOException {
    Files.writeString(dir.resolve("r.yaml"), """
        targets:
          gpt:  { provider: openai, model: gpt-5.4 }
          opus: { provider: anthropic, model: claude-opus-4-6 }
        routes:
          - { name: %s, try: [%s] }
        """.formatted(route, target));
  }

  @Test
  void shouldSwapOnAGoodReloadAndKeepTheOldTableOnABadOne(@TempDir Path dir) throws IOException {
    write(dir, "first", "gpt");
    RouteTables tables = RouteTables.load(dir, PROVIDERS);
    RouteTable first = tables.current();
    assertEquals("first", first.routes().get(0).name());

    write(dir, "second", "opus");
    ReloadResult ok = tables.reloadNow();
    assertTrue(ok.swapped());
    assertEquals("second", tables.current().routes().get(0).name());
    assertEquals("first", first.routes().get(0).name(), "a table never changes: planned requests keep theirs");

    RouteTable second = tables.current();
    write(dir, "third", "nonexistent");
    ReloadResult bad = tables.reloadNow();
    assertFalse(bad.swapped());
    assertTrue(bad.problems().get(0).contains("unknown target 'nonexistent'"), bad.problems().toString());
    assertSame(second, tables.current());
  }

  @Test
  void shouldReloadWhenAFileChanges(Vertx vertx, VertxTestContext test, @TempDir Path dir) throws Exception {
    write(dir, "first", "gpt");
    RouteTables tables = RouteTables.load(dir, PROVIDERS);
    RouteWatcher watcher = new RouteWatcher(vertx, tables, result -> {
      if (result.swapped() && tables.current().routes().get(0).name().equals("second")) {
        test.completeNow();
      }
    });
    watcher.start(Duration.ofMillis(20)).onComplete(test.succeeding(v -> {
      try {
        write(dir, "second", "opus");
        // some file systems keep whole-second mtimes: make the change visible whatever the clock
        Files.setLastModifiedTime(dir.resolve("r.yaml"), FileTime.from(Instant.now().plusSeconds(5)));
      } catch (IOException e) {
        test.failNow(e);
      }
    }));
    assertTrue(test.awaitCompletion(10, TimeUnit.SECONDS));
    watcher.stop();
  }
}
