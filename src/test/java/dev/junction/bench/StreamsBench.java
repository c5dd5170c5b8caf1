package dev.junction.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Client side of the event-stream benchmark: holds {@code sessions × streamsPerSession} MA event streams
 * ({@code GET /v1/sessions/{id}/events/stream}) open on a running gateway while it appends
 * {@code user.message}s at a fixed rate ({@code POST /v1/sessions/{id}/events}, sessions in turn), and
 * measures how long each appended event takes to reach every stream.
 *
 * <p>Two latencies are recorded per delivery of a {@code user.message}: from the append's intended send
 * time (open loop: the appender never waits for an answer, so a slow gateway cannot slow the clock
 * down) to the frame's arrival, on this process's monotonic clock; and from the event's
 * {@code processed_at} (stamped by the gateway, millisecond resolution) to the arrival, on the shared
 * machine clock. Every other persisted event the sessions produce (the agent's turns) is measured the
 * second way. The gateway's heap is read with {@code jcmd} after a full GC while every stream is still
 * open.
 *
 * <p>With a {@code streamPort} the streams are opened on another node than the one appends go to (two
 * nodes on one PostgreSQL), and with {@code saturationSeconds} a last phase appends closed loop, 64 at a
 * time, to measure the most appends per second the gateway acknowledges with every stream attached.
 *
 * <pre>java -cp ... dev.junction.bench.StreamsBench host port key sessions streamsPerSession rate seconds warmupSeconds gatewayPid [streamPort [saturationSeconds]]</pre>
 */
public final class StreamsBench {
  private static final String MARK = "bench-";

  private StreamsBench() {
  }

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    String key = args[2];
    int sessions = Integer.parseInt(args[3]);
    int perSession = Integer.parseInt(args[4]);
    int rate = Integer.parseInt(args[5]);
    int seconds = Integer.parseInt(args[6]);
    int warmup = Integer.parseInt(args[7]);
    long gatewayPid = Long.parseLong(args[8]);
    int streamPort = args.length > 9 ? Integer.parseInt(args[9]) : port;
    int saturationSeconds = args.length > 10 ? Integer.parseInt(args[10]) : 0;
    int streams = sessions * perSession;

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    HttpClientOptions base = new HttpClientOptions().setDefaultHost(host).setDefaultPort(port).setKeepAlive(true)
        .setTcpNoDelay(true).setConnectTimeout(30_000);
    HttpClient api = vertx.createHttpClient(base, new PoolOptions().setHttp1MaxSize(64));
    HttpClient streamClient = vertx.createHttpClient(new HttpClientOptions(base).setDefaultPort(streamPort).setIdleTimeout(0),
        new PoolOptions().setHttp1MaxSize(streams + 16).setMaxWaitQueueSize(-1));
    Bench b = new Bench(api, key);

    // 1. An agent, an environment and the sessions.
    String agent = b.post("/v1/agents", new JsonObject().put("name", "streams-bench").put("model", "claude-sonnet-4-6"))
        .getString("id");
    String env = b.post("/v1/environments", new JsonObject().put("name", "streams-bench")).getString("id");
    String[] ids = new String[sessions];
    Semaphore inFlight = new Semaphore(32);
    CountDownLatch created = new CountDownLatch(sessions);
    for (int i = 0; i < sessions; i++) {
      int n = i;
      inFlight.acquire();
      b.postAsync("/v1/sessions", new JsonObject().put("agent", agent).put("environment_id", env)).onComplete(ar -> {
        if (ar.succeeded()) {
          ids[n] = ar.result().getString("id");
        } else {
          ar.cause().printStackTrace();
        }
        inFlight.release();
        created.countDown();
      });
    }
    await(created, 300, "creating sessions");
    System.out.printf("%d sessions created%n", sessions);

    // 2. The streams, opened at most 256 at a time.
    long totalAppends = (long) rate * (seconds + warmup);
    long[] sendNanos = new long[(int) totalAppends];
    long measuredFrom = (long) rate * warmup;
    Receiver rx = new Receiver(sendNanos, measuredFrom, (int) ((totalAppends - measuredFrom) * perSession + 1024), rate);
    long t0 = System.nanoTime();
    CountDownLatch opened = new CountDownLatch(streams);
    Semaphore opening = new Semaphore(256);
    for (int i = 0; i < streams; i++) {
      String id = ids[i % sessions];
      opening.acquire();
      streamClient.request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/v1/sessions/" + id + "/events/stream")
              .addHeader("x-api-key", key).addHeader("accept", "text/event-stream"))
          .compose(req -> req.send())
          .onComplete(ar -> {
            opening.release();
            if (ar.succeeded() && ar.result().statusCode() == 200) {
              rx.open.incrementAndGet();
              ar.result().handler(RecordParser.newDelimited("\n\n", rx::frame));
              ar.result().exceptionHandler(e -> {
                if (rx.failed.incrementAndGet() <= 3) {
                  System.err.println("stream failed while open: " + e);
                }
              });
              ar.result().endHandler(v -> rx.ended.incrementAndGet());
            } else {
              rx.failed.incrementAndGet();
              System.err.println("stream failed: " + (ar.succeeded() ? "HTTP " + ar.result().statusCode() : ar.cause()));
            }
            opened.countDown();
          });
    }
    await(opened, 300, "opening streams");
    System.out.printf("%d streams open in %.1f s (%d failed)%n", rx.open.get(), (System.nanoTime() - t0) / 1e9, rx.failed.get());

    // 3. Priming: one message to every session, so that every agent has started its turn (and is
    //    waiting for its model) before the clock starts; these messages are not measured.
    CountDownLatch primed = new CountDownLatch(sessions);
    long p0 = System.nanoTime();
    for (String id : ids) {
      inFlight.acquire();
      JsonObject event = new JsonObject().put("type", "user.message").put("content", new JsonArray()
          .add(new JsonObject().put("type", "text").put("text", "prime")));
      b.postAsync("/v1/sessions/" + id + "/events", new JsonObject().put("events", new JsonArray().add(event)))
          .onComplete(ar -> {
            inFlight.release();
            primed.countDown();
          });
    }
    await(primed, 300, "priming sessions");
    Thread.sleep(3000);
    System.out.printf("%d sessions primed in %.1f s (+3 s pause)%n", sessions, (System.nanoTime() - p0) / 1e9);

    // 4. Appends at a fixed rate, open loop: append n is due at start + n / rate, whatever came before.
    AtomicLong appendErrors = new AtomicLong();
    long[] ackMicros = new long[(int) totalAppends];
    AtomicInteger acks = new AtomicInteger();
    System.out.printf("appending %d user.message/s for %d s (%d s warm-up, not counted)%n", rate, seconds + warmup, warmup);
    long start = System.nanoTime();
    double interval = 1e9 / rate;
    long next = 0;
    while (next < totalAppends) {
      long due = start + (long) (next * interval);
      long now = System.nanoTime();
      if (now < due) {
        TimeUnit.NANOSECONDS.sleep(Math.min(due - now, 1_000_000));
        continue;
      }
      long n = next++;
      sendNanos[(int) n] = due;
      JsonObject event = new JsonObject().put("type", "user.message").put("content", new JsonArray()
          .add(new JsonObject().put("type", "text").put("text", MARK + n)));
      b.postAsync("/v1/sessions/" + ids[(int) (n % sessions)] + "/events", new JsonObject().put("events", new JsonArray().add(event)))
          .onComplete(ar -> {
            if (ar.failed()) {
              if (appendErrors.incrementAndGet() <= 5) {
                System.err.println("append failed: " + ar.cause().getMessage());
              }
            } else if (n >= measuredFrom) {
              ackMicros[acks.getAndIncrement()] = (System.nanoTime() - due) / 1000;
            }
          });
    }
    double appendSeconds = (System.nanoTime() - start) / 1e9;
    // Let the last deliveries and acknowledgements arrive (bounded: at most 10 s).
    long expected = (totalAppends - measuredFrom) * perSession;
    long measured = totalAppends - measuredFrom;
    for (int i = 0; i < 100 && (rx.delivered() < expected || acks.get() + appendErrors.get() < measured); i++) {
      Thread.sleep(100);
    }
    Thread.sleep(500);

    // 5. The gateway's heap after a full GC, with every stream still open.
    String heap = gatewayPid > 0 ? heapAfterGc(gatewayPid) : "n/a (no gateway pid)";
    int stillOpen = rx.open.get() - rx.ended.get() - rx.failed.get();

    long[] byAppend = rx.latencies();
    long[] byStamp = rx.stampLatencies();
    long[] other = rx.otherLatencies();
    long[] ack = Arrays.copyOf(ackMicros, acks.get());
    Arrays.sort(ack);
    System.out.println();
    System.out.printf("streams: %d requested, %d open at the end; appends: %d in %.1f s (%.0f/s), %d failed; "
            + "user.message deliveries measured: %d of %d expected%n", streams, stillOpen, totalAppends, appendSeconds,
        totalAppends / appendSeconds, appendErrors.get(), byAppend.length, expected);
    System.out.println();
    System.out.println("| measure | count | p50 | p99 | p99.9 | max |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    row("append → delivery, from the POST's intended send (ms)", byAppend);
    row("append → delivery, from `processed_at` (ms, 1 ms resolution)", byStamp);
    row("agent events → delivery, from `processed_at` (ms, 1 ms resolution)", other);
    row("append acknowledged (POST answered, ms)", ack);
    System.out.println();
    StringBuilder worst = new StringBuilder("worst delivery (ms) of the appends due in each measured second:");
    synchronized (rx.worstBySecond) {
      for (int sec = warmup; sec < seconds + warmup; sec++) {
        worst.append(' ').append(rx.worstBySecond[sec] / 1000);
      }
    }
    System.out.println(worst);
    System.out.println();
    System.out.println("RESULT streams_open=" + stillOpen + " streams_requested=" + streams);
    System.out.println("RESULT heap=" + heap);
    System.out.printf("RESULT p99_ms=%.3f max_ms=%.3f delivered=%d expected=%d append_errors=%d%n", pct(byAppend, .99) / 1000.0,
        byAppend.length == 0 ? 0 : byAppend[byAppend.length - 1] / 1000.0, byAppend.length, expected, appendErrors.get());
    if (saturationSeconds > 0) {
      saturate(b, ids, saturationSeconds);
    }
    vertx.close();
    System.exit(0);
  }

  /** Closed loop, 64 appends in flight, sessions in turn: how many appends per second are acknowledged. */
  private static void saturate(Bench b, String[] ids, int seconds) throws InterruptedException {
    int concurrency = 64;
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong counter = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    CountDownLatch stopped = new CountDownLatch(concurrency);
    Samples ackMicros = new Samples(1 << 16);
    for (int i = 0; i < concurrency; i++) {
      saturateNext(b, ids, counter, done, failed, ackMicros, end, stopped);
    }
    long t0 = System.nanoTime();
    await(stopped, seconds + 60, "saturation");
    double took = (System.nanoTime() - t0) / 1e9;
    long[] acks = ackMicros.sorted();
    System.out.printf("saturation: %d appends acknowledged in %.1f s with %d in flight (%d failed)%n", done.get(), took,
        concurrency, failed.get());
    System.out.printf("RESULT saturation_per_s=%.0f ack_p50_ms=%.3f ack_p99_ms=%.3f%n", done.get() / took,
        pct(acks, .5) / 1000.0, pct(acks, .99) / 1000.0);
  }

  private static void saturateNext(Bench b, String[] ids, AtomicLong counter, AtomicLong done, AtomicLong failed,
                                   Samples ackMicros, long end, CountDownLatch stopped) {
    long t = System.nanoTime();
    if (t >= end) {
      stopped.countDown();
      return;
    }
    long n = counter.getAndIncrement();
    JsonObject event = new JsonObject().put("type", "user.message").put("content", new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", "saturate-" + n)));
    b.postAsync("/v1/sessions/" + ids[(int) (n % ids.length)] + "/events", new JsonObject().put("events", new JsonArray().add(event)))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            done.incrementAndGet();
            ackMicros.add((System.nanoTime() - t) / 1000);
          } else {
            failed.incrementAndGet();
          }
          saturateNext(b, ids, counter, done, failed, ackMicros, end, stopped);
        });
  }

  private static void row(String name, long[] micros) {
    System.out.printf("| %s | %d | %.3f | %.3f | %.3f | %.3f |%n", name, micros.length, pct(micros, .5) / 1000.0,
        pct(micros, .99) / 1000.0, pct(micros, .999) / 1000.0, micros.length == 0 ? 0 : micros[micros.length - 1] / 1000.0);
  }

  /** Nearest-rank percentile of sorted values. */
  private static long pct(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1))];
  }

  private static void await(CountDownLatch latch, int seconds, String what) throws InterruptedException {
    if (!latch.await(seconds, TimeUnit.SECONDS)) {
      throw new IllegalStateException(what + " took more than " + seconds + " s");
    }
  }

  /** {@code jcmd GC.run}, then the used and committed heap from {@code GC.heap_info}. */
  private static String heapAfterGc(long pid) throws Exception {
    run("jcmd", Long.toString(pid), "GC.run");
    String info = run("jcmd", Long.toString(pid), "GC.heap_info");
    Matcher m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info);
    if (!m.find()) {
      // ZGC reports itself otherwise: "ZHeap used 338M, capacity 512M, max capacity 512M"
      Matcher z = Pattern.compile("ZHeap\\s+used (\\d+)M, capacity (\\d+)M").matcher(info);
      if (z.find()) {
        return String.format("%.1f MB used of %.1f MB committed", Double.parseDouble(z.group(1)), Double.parseDouble(z.group(2)));
      }
      return "n/a (jcmd said: " + info.replace('\n', ' ') + ")";
    }
    return String.format("%.1f MB used of %.1f MB committed", Long.parseLong(m.group(2)) / 1024.0,
        Long.parseLong(m.group(1)) / 1024.0);
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    StringBuilder out = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        out.append(line).append('\n');
      }
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return out.toString();
  }

  /** Records deliveries from every stream; called on the client's event loops. */
  private static final class Receiver {
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger ended = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    private final long[] sendNanos;
    private final long measuredFrom;
    private final Samples byAppend;
    private final Samples byStamp;
    private final Samples other = new Samples(1 << 16);
    /** Worst delivery latency (µs) of the appends due in each second of the run. */
    final long[] worstBySecond;
    private final int rate;

    Receiver(long[] sendNanos, long measuredFrom, int expected, int rate) {
      this.sendNanos = sendNanos;
      this.measuredFrom = measuredFrom;
      this.rate = rate;
      this.worstBySecond = new long[sendNanos.length / rate + 1];
      this.byAppend = new Samples(expected);
      this.byStamp = new Samples(expected);
    }

    void frame(Buffer frame) {
      long now = System.nanoTime();
      long wall = System.currentTimeMillis();
      String f = frame.toString(StandardCharsets.UTF_8);
      if (f.startsWith("event: ping")) {
        return;
      }
      int at = f.indexOf("\"processed_at\":\"");
      long stamp = at < 0 ? -1 : Instant.parse(f.substring(at + 16, f.indexOf('"', at + 16))).toEpochMilli();
      if (f.startsWith("event: user.message")) {
        int m = f.indexOf(MARK);
        if (m < 0) {
          return;
        }
        int end = m + MARK.length();
        while (end < f.length() && Character.isDigit(f.charAt(end))) {
          end++;
        }
        long n = Long.parseLong(f.substring(m + MARK.length(), end));
        if (n >= measuredFrom) {
          long micros = (now - sendNanos[(int) n]) / 1000;
          byAppend.add(micros);
          synchronized (worstBySecond) {
            int second = (int) (n / rate);
            worstBySecond[second] = Math.max(worstBySecond[second], micros);
          }
          if (stamp >= 0) {
            byStamp.add((wall - stamp) * 1000);
          }
        }
      } else if (stamp >= 0) {
        other.add((wall - stamp) * 1000);
      }
    }

    long delivered() {
      return byAppend.size();
    }

    long[] latencies() {
      return byAppend.sorted();
    }

    long[] stampLatencies() {
      return byStamp.sorted();
    }

    long[] otherLatencies() {
      return other.sorted();
    }
  }

  /** A growable array of longs shared by the event loops. */
  private static final class Samples {
    private long[] values;
    private int size;

    Samples(int capacity) {
      values = new long[Math.max(16, capacity)];
    }

    synchronized void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    synchronized int size() {
      return size;
    }

    synchronized long[] sorted() {
      long[] out = Arrays.copyOf(values, size);
      Arrays.sort(out);
      return out;
    }
  }

  /** JSON calls to the gateway's API. */
  private record Bench(HttpClient client, String key) {
    Future<JsonObject> postAsync(String path, JsonObject body) {
      return client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(path).addHeader("x-api-key", key)
              .addHeader("content-type", "application/json"))
          .compose(req -> req.send(body.toBuffer()))
          .compose(resp -> resp.body().compose(b -> resp.statusCode() / 100 == 2 ? Future.succeededFuture(new JsonObject(b))
              : Future.failedFuture(new IllegalStateException(path + ": HTTP " + resp.statusCode() + " " + b))));
    }

    JsonObject post(String path, JsonObject body) throws Exception {
      return postAsync(path, body).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
