package dev.junction.app;

import dev.junction.store.Ids;
import dev.junction.store.Timestamps;
import dev.junction.store.sqlite.SqliteStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code junction export} and {@code import} on the embedded store: options, files, and what they refuse. */
class TransferCommandTest {
  private static final long T0 = 1_760_000_000_000L;

  private record Result(int status, String out, String err) {
  }

  @Test
  void helpListsExportAndImport() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, Main.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("export   write every agent"), help);
    assertTrue(help.contains("import   load an export"), help);
    assertTrue(help.contains("--merge"), help);
  }

  @Test
  void aGzippedExportImportsFromStandardInputIntoAnotherDataDirectory(@TempDir Path dir) throws Exception {
    Path from = dir.resolve("from");
    populate(from);
    Path file = dir.resolve("out").resolve("all.jsonl.gz");
    Files.createDirectories(file.getParent());

    Result exported = export(config(dir, "from.yaml", from), "--out", file.toString());
    assertEquals(0, exported.status(), exported.err());
    assertTrue(exported.err().startsWith("exported 1 agent(s) (2 version(s)), 0 environment(s), 1 session(s) and 2 event(s)"
        + " from SQLite database " + from.resolve("junction.db") + " to " + file), exported.err());
    assertFalse(Files.exists(dir.resolve("out").resolve("all.jsonl.gz.partial")));
    List<String> lines;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    assertEquals(8, lines.size(), String.join("\n", lines));
    JsonObject header = new JsonObject(lines.get(0));
    assertEquals("junction-export", header.getString("format"));
    assertEquals(1, header.getInteger("version"));
    assertEquals("sqlite", header.getString("source"));
    assertEquals(List.of("agent", "agent_version", "agent_version", "session", "event", "event", "end"),
        lines.subList(1, lines.size()).stream().map(l -> new JsonObject(l).getString("record")).toList());

    Path to = dir.resolve("to");
    Result imported = importFrom(config(dir, "to.yaml", to), Files.readAllBytes(file));
    assertEquals(0, imported.status(), imported.err());
    assertTrue(imported.err().startsWith("imported 1 agent(s) (2 version(s)), 0 environment(s), 1 session(s) and 2 event(s)"
        + " from standard input (exported from sqlite) into SQLite database " + to.resolve("junction.db")), imported.err());

    Result again = export(config(dir, "to.yaml", to));
    assertEquals(0, again.status(), again.err());
    List<String> copied = again.out().lines().toList();
    assertEquals(lines.subList(1, lines.size()), copied.subList(1, copied.size()));
  }

  @Test
  void aFileThatIsNoExportIsRefusedBeforeTheStoreIsTouched(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    Result r = importFrom(config(dir, "c.yaml", data), "{\"hello\":1}\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(1, r.status());
    assertTrue(r.err().contains("line 1: not a Junction export"), r.err());
    assertFalse(Files.exists(data.resolve("junction.db")));

    Result newer = importFrom(config(dir, "c.yaml", data),
        "{\"format\":\"junction-export\",\"version\":2}\n".getBytes(StandardCharsets.UTF_8));
    assertTrue(newer.err().contains("export format version 2 is not one this Junction reads"), newer.err());
  }

  @Test
  void vaultRecordsAreReservedAndRefused(@TempDir Path dir) throws Exception {
    String file = ExportFormat.header("sqlite", T0).encode() + "\n"
        + new JsonObject().put("record", "vault").put("id", "vlt_1").put("tenant", "t").encode() + "\n"
        + ExportFormat.trailer(ExportFormat.zeroCounts()).encode() + "\n";
    Result r = importFrom(config(dir, "c.yaml", dir.resolve("data")), file.getBytes(StandardCharsets.UTF_8));
    assertEquals(1, r.status());
    assertTrue(r.err().contains("line 2: vault records are reserved"), r.err());
  }

  @Test
  void badOptionsAndAMissingDatabaseExitNonZeroWithOneLine(@TempDir Path dir) throws Exception {
    Path config = config(dir, "c.yaml", dir.resolve("nothing-here"));
    assertEquals(2, export(config, "--to", "x").status());
    assertEquals(2, export(config, "--out").status());
    assertEquals(2, importFrom(config, new byte[0], "--force").status());

    Result missing = export(config, "--out", dir.resolve("x.jsonl").toString());
    assertEquals(1, missing.status());
    Path db = dir.resolve("nothing-here").resolve("junction.db");
    assertEquals("export from SQLite database " + db + " failed: there is no database file: nothing to export"
        + " (check store.data_dir or JUNCTION_DATA_DIR)", missing.err().strip());
    assertFalse(Files.exists(dir.resolve("x.jsonl")));
    assertFalse(Files.exists(dir.resolve("x.jsonl.partial")));
  }

  // ---------------------------------------------------------------------------------------------

  private static void populate(Path dataDir) throws Exception {
    SqliteStore store = new SqliteStore(dataDir, "NORMAL", 1);
    get(store.start());
    JsonObject agent = new JsonObject().put("type", "agent").put("id", "agent_one").put("version", 1).put("name", "one")
        .put("created_at", Timestamps.format(T0)).putNull("archived_at");
    get(store.createAgent("t", agent, T0));
    get(store.updateAgent("t", "agent_one", a -> a.put("name", "two")));
    JsonObject session = new JsonObject().put("type", "session").put("id", "sesn_one").put("status", "idle")
        .put("agent", new JsonObject().put("id", "agent_one").put("version", 2)).put("created_at", Timestamps.format(T0))
        .putNull("archived_at");
    get(store.createSession("t", session, T0, List.of(event(), event())));
    get(store.close());
  }

  private static JsonObject event() {
    return new JsonObject().put("type", "user.message").put("id", Ids.next("sevt", T0))
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "hi")))
        .put("processed_at", Timestamps.format(T0));
  }

  private static Path config(Path dir, String name, Path dataDir) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, "store:\n  data_dir: \"" + dataDir + "\"\n");
    return file;
  }

  private static Result export(Path config, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = TransferCommand.export(List.of(args), config, Map.of(), out, new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Result importFrom(Path config, byte[] stdin, String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = TransferCommand.importFrom(List.of(args), config, Map.of(), new ByteArrayInputStream(stdin),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(status, "", err.toString(StandardCharsets.UTF_8));
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
