package dev.junction.tools;

import dev.junction.provider.Cancellation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code glob}: the jail lists the files (so symlinks resolve in the jail's view), the gateway
 * matches the pattern, newest first.
 */
final class GlobTool implements JailedTool {
  static final int MAX_RESULTS = 1000;
  private static final int LISTING_CAP = 8 << 20;

  record Entry(double mtime, String path) {
  }

  private final Vertx vertx;

  GlobTool(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<ToolResult> run(SandboxSession session, JsonObject input, Cancellation cancellation) {
    String pattern = input.getString("pattern");
    if (pattern == null || pattern.isBlank()) {
      throw new ToolInputException("pattern is required");
    }
    String root = JailPaths.resolve(input.getString("path", SandboxSpec.WORKSPACE), "path");
    if (pattern.startsWith("/")) {
      if (!pattern.startsWith(root + "/")) {
        throw new ToolInputException("an absolute pattern must lie under path (" + root + ")");
      }
      pattern = pattern.substring(root.length() + 1);
    }
    List<PathMatcher> matchers = matchers(pattern);
    var argv = JailScripts.argv(JailScripts.LIST, root);
    return session.exec(argv, new byte[0], LISTING_CAP, session.spec().limits().defaultTimeout(), cancellation)
        .compose(r -> r.ending() != ExecResult.Ending.EXITED || r.exitCode() != 0
            ? Future.succeededFuture(JailedTool.failure(r, "listing " + root))
            // Matching a listing of up to LISTING_CAP bytes is too slow for an event loop.
            : vertx.executeBlocking(() -> ToolResult.text(match(r.stdout(), root, matchers)), false));
  }

  static String match(Output listing, String root, List<PathMatcher> matchers) {
    List<Entry> hits = new ArrayList<>();
    for (String rec : listing.head().split("\0")) {
      int sp = rec.indexOf(' ');
      if (sp <= 0) {
        continue;
      }
      String rel = rec.substring(sp + 1);
      Path p = Path.of(rel);
      if (matchers.stream().anyMatch(m -> m.matches(p))) {
        hits.add(new Entry(Double.parseDouble(rec.substring(0, sp)), root + "/" + rel));
      }
    }
    return render(hits, listing.truncated());
  }

  /** {@code **}/x also matches x at the top, as users of glob tools expect. */
  static List<PathMatcher> matchers(String pattern) {
    List<PathMatcher> ms = new ArrayList<>();
    try {
      ms.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
      String p = pattern;
      while (p.startsWith("**/")) {
        p = p.substring(3);
        ms.add(FileSystems.getDefault().getPathMatcher("glob:" + p));
      }
    } catch (IllegalArgumentException e) {
      throw new ToolInputException("invalid glob pattern: " + e.getMessage());
    }
    return ms;
  }

  static String render(List<Entry> hits, boolean listingTruncated) {
    if (hits.isEmpty()) {
      return listingTruncated ? "No files found (the directory listing was too large to scan completely)" : "No files found";
    }
    hits.sort(Comparator.comparingDouble(Entry::mtime).reversed().thenComparing(Entry::path));
    StringBuilder sb = new StringBuilder();
    hits.stream().limit(MAX_RESULTS).forEach(e -> sb.append(e.path()).append('\n'));
    if (hits.size() > MAX_RESULTS) {
      sb.append("[").append(hits.size() - MAX_RESULTS).append(" more files not shown; narrow the pattern]\n");
    }
    if (listingTruncated) {
      sb.append("[the directory listing was too large; some files were not scanned]\n");
    }
    return sb.toString();
  }
}
