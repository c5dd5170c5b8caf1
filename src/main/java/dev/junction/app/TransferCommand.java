package dev.junction.app;

import dev.junction.config.ConfigException;
import dev.junction.config.ConfigLoader;
import dev.junction.config.JunctionConfig;
import dev.junction.store.StoreNotEmptyException;
import dev.junction.store.StoreRecord;
import dev.junction.store.Transfer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * {@code junction export} and {@code junction import}: every record of the configured store to an
 * {@link ExportFormat} file, and such a file into the configured store, so a deployment can move
 * from the embedded store to PostgreSQL (or back). Progress and the summary go to stderr; a failure
 * exits non-zero with one line naming its cause. An import is one transaction: it commits whole or
 * writes nothing.
 */
final class TransferCommand {
  private static final int BATCH = 256;
  private static final long PROGRESS_NANOS = 2_000_000_000L;

  private TransferCommand() {
  }

  /**
   * @param args   the options after {@code export}: {@code --out FILE|-}
   * @param stdout where {@code --out -} (the default) writes
   * @return the exit status
   */
  static int export(List<String> args, Path configPath, Map<String, String> env, OutputStream stdout, PrintStream err) {
    return withStore(args, "--out", false, configPath, env, err, (o, store) -> export(o, store, stdout, err));
  }

  private static int export(Options o, Transfer store, OutputStream stdout, PrintStream err) {
    Path partial = o.stdio() ? null : o.file().resolveSibling(o.file().getFileName() + ".partial");
    try {
      long t0 = System.nanoTime();
      Map<String, Long> counts;
      try (OutputStream target = o.stdio() ? nonClosing(stdout) : Files.newOutputStream(partial);
           Writer out = new BufferedWriter(new OutputStreamWriter(gzipIf(o, target), StandardCharsets.UTF_8), 1 << 16)) {
        counts = export(store, out, err);
      }
      if (partial != null) {
        // A file under the requested name is always a whole export.
        Files.move(partial, o.file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      err.println("exported " + summary(counts) + " from " + store.location() + " to " + o.name("standard output") + " in "
          + seconds(t0));
      return 0;
    } catch (Exception e) {
      deleteQuietly(partial);
      err.println("export from " + store.location() + " failed: " + cause(e));
      return 1;
    }
  }

  private static Map<String, Long> export(Transfer store, Writer out, PrintStream err) throws Exception {
    Transfer.Reader reader = await(store.read());
    try {
      out.write(ExportFormat.header(store.type(), System.currentTimeMillis()).encode());
      out.write('\n');
      Map<String, Long> counts = ExportFormat.zeroCounts();
      Progress progress = new Progress("exported", err);
      for (List<StoreRecord> page = await(reader.next()); !page.isEmpty(); page = await(reader.next())) {
        for (StoreRecord r : page) {
          out.write(ExportFormat.encode(r).encode());
          out.write('\n');
          counts.merge(ExportFormat.type(r), 1L, Long::sum);
        }
        progress.maybe(counts);
      }
      out.write(ExportFormat.trailer(counts).encode());
      out.write('\n');
      return counts;
    } finally {
      await(reader.close());
    }
  }

  /**
   * @param args  the options after {@code import}: {@code --in FILE|-}, {@code --merge}
   * @param stdin what {@code --in -} (the default) reads
   * @return the exit status
   */
  static int importFrom(List<String> args, Path configPath, Map<String, String> env, InputStream stdin, PrintStream err) {
    return withStore(args, "--in", true, configPath, env, err, (o, store) -> importFrom(o, store, stdin, err));
  }

  private static int importFrom(Options o, Transfer store, InputStream stdin, PrintStream err) {
    try (InputStream raw = o.stdio() ? stdin : Files.newInputStream(o.file());
         BufferedReader in = new BufferedReader(new InputStreamReader(gunzipIfCompressed(raw), StandardCharsets.UTF_8),
             1 << 16)) {
      long t0 = System.nanoTime();
      String source = readHeader(in);
      Map<String, Long> counts = load(store, in, o.merge(), err);
      err.println("imported " + summary(counts) + " from " + o.name("standard input") + " (exported from " + source + ") into "
          + store.location() + " in " + seconds(t0));
      return 0;
    } catch (StoreNotEmptyException e) {
      err.println("import refused, nothing was written: " + e.getMessage() + "; import into an empty store"
          + " (a new store.data_dir or database), or pass --merge to add these records to it");
      return 1;
    } catch (Exception e) {
      err.println("import failed, nothing was written to " + store.location() + ": " + cause(e));
      return 1;
    }
  }

  /** What a transfer command does once its options are read and its store is open. */
  private interface Body {
    /** @return the exit status */
    int run(Options o, Transfer store);
  }

  /**
   * The part both commands share: reads the options (exit status 2 when they are wrong), loads the
   * configuration (1 when it fails), opens the configured store, runs {@code body} and closes the store.
   *
   * @param fileOption   the option naming the file, {@code --out} or {@code --in}
   * @param mergeAllowed whether {@code --merge} is an option of the command
   * @return the exit status
   */
  private static int withStore(List<String> args, String fileOption, boolean mergeAllowed, Path configPath,
      Map<String, String> env, PrintStream err, Body body) {
    Options o = Options.parse(args, fileOption, mergeAllowed, err);
    if (o == null) {
      return 2;
    }
    JunctionConfig config = config(configPath, env, err);
    if (config == null) {
      return 1;
    }
    Vertx vertx = Vertx.vertx();
    Transfer store = Stores.transfer(vertx, config.store());
    try {
      return body.run(o, store);
    } finally {
      shutdown(store, vertx);
    }
  }

  private static String readHeader(BufferedReader in) throws IOException {
    String first = in.readLine();
    if (first == null || first.isBlank()) {
      throw new IllegalArgumentException("the input is empty");
    }
    return ExportFormat.checkHeader(parse(first, 1));
  }

  private static Map<String, Long> load(Transfer store, BufferedReader in, boolean merge, PrintStream err)
      throws Exception {
    Transfer.Loader loader = await(store.load(merge));
    try {
      Map<String, Long> counts = ExportFormat.zeroCounts();
      Progress progress = new Progress("imported", err);
      List<StoreRecord> batch = new ArrayList<>(BATCH);
      long lineNumber = 1;
      boolean ended = false;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        if (ended) {
          throw new IllegalArgumentException("line " + lineNumber + ": records after the end record");
        }
        JsonObject json = parse(line, lineNumber);
        if (ExportFormat.END.equals(json.getValue("record"))) {
          ExportFormat.checkTrailer(json, lineNumber, counts);
          ended = true;
          continue;
        }
        StoreRecord record = ExportFormat.decode(json, lineNumber);
        counts.merge(ExportFormat.type(record), 1L, Long::sum);
        batch.add(record);
        if (batch.size() == BATCH) {
          await(loader.write(batch));
          batch.clear();
          progress.maybe(counts);
        }
      }
      if (!ended) {
        throw new IllegalArgumentException("the input ends after line " + lineNumber
            + " without its end record: the file is truncated");
      }
      await(loader.write(batch));
      await(loader.commit());
      return counts;
    } catch (Exception e) {
      try {
        await(loader.rollback());
      } catch (Exception ignored) {
        // Closing the connection ends the transaction uncommitted all the same.
      }
      throw e;
    }
  }

  private static JsonObject parse(String line, long lineNumber) {
    try {
      return new JsonObject(line);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("line " + lineNumber + " is not a JSON object (is the file truncated?)");
    }
  }

  private static JunctionConfig config(Path configPath, Map<String, String> env, PrintStream err) {
    try {
      return new ConfigLoader(env).load(configPath);
    } catch (ConfigException e) {
      err.println("configuration error: " + e.getMessage());
      return null;
    }
  }

  /** Command-line options of one transfer command. */
  private record Options(Path file, boolean merge) {
    boolean stdio() {
      return file == null;
    }

    String name(String stdio) {
      return file == null ? stdio : file.toString();
    }

    static Options parse(List<String> args, String fileOption, boolean mergeAllowed, PrintStream err) {
      Path file = null;
      boolean merge = false;
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (a.equals(fileOption) && i + 1 < args.size()) {
          String v = args.get(++i);
          file = v.equals("-") ? null : Path.of(v);
        } else if (a.equals("--merge") && mergeAllowed) {
          merge = true;
        } else {
          err.println((a.equals(fileOption) ? fileOption + " needs a file name or -" : "unknown option '" + a + "'")
              + "; see --help");
          return null;
        }
      }
      return new Options(file, merge);
    }
  }

  /** A line on stderr every two seconds, so a long transfer shows it is moving. */
  private static final class Progress {
    private final String verb;
    private final PrintStream err;
    private long last = System.nanoTime();

    Progress(String verb, PrintStream err) {
      this.verb = verb;
      this.err = err;
    }

    void maybe(Map<String, Long> counts) {
      long now = System.nanoTime();
      if (now - last >= PROGRESS_NANOS) {
        last = now;
        err.println(verb + " so far: " + summary(counts));
      }
    }
  }

  static String summary(Map<String, Long> counts) {
    return counts.get("agent") + " agent(s) (" + counts.get("agent_version") + " version(s)), "
        + counts.get("document") + " environment(s), " + counts.get("session") + " session(s) and "
        + counts.get("event") + " event(s)";
  }

  private static OutputStream gzipIf(Options o, OutputStream out) throws IOException {
    return o.file() != null && o.file().toString().endsWith(".gz") ? new GZIPOutputStream(out, 1 << 16) : out;
  }

  /** Gzip is recognised by its magic number, whatever the file is called (stdin included). */
  private static InputStream gunzipIfCompressed(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
  }

  private static OutputStream nonClosing(OutputStream out) {
    return new java.io.FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        out.flush();
      }
    };
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw cause instanceof Exception ex ? ex : new IllegalStateException(cause);
    }
  }

  private static String cause(Throwable e) {
    Throwable c = e;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof java.nio.file.NoSuchFileException) {
      return "no such file or directory: " + c.getMessage();
    }
    if (c instanceof EOFException) {
      return "the input ends early, so it is truncated (" + c.getMessage() + ")";
    }
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }

  private static String seconds(long t0) {
    return String.format("%.1f s", (System.nanoTime() - t0) / 1e9);
  }

  private static void shutdown(Transfer store, Vertx vertx) {
    try {
      await(store.close());
    } catch (Exception ignored) {
      // Only connections are left to release; the outcome was already reported.
    }
    try {
      await(vertx.close());
    } catch (Exception ignored) {
      // As above.
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // A leftover .partial file is never mistaken for an export.
    }
  }
}
