package dev.junction.tools;

import dev.junction.provider.Cancellation;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code web_fetch}, run by the gateway rather than in the jail (as MA runs it server-side). The
 * host is resolved first and every address checked against {@link AddressPolicy}; the connection
 * then goes to the checked address itself (the name only travels as Host and SNI), so a DNS answer
 * that changes between check and connect cannot redirect it inward. Each redirect hop is checked
 * the same way.
 */
public final class WebFetcher {
  private final Vertx vertx;
  private final WebFetchPolicy policy;
  private final HttpClientAgent client;

  public WebFetcher(Vertx vertx, WebFetchPolicy policy) {
    this.vertx = vertx;
    this.policy = policy;
    this.client = vertx.createHttpClient(new HttpClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, policy.timeout().toMillis())));
  }

  /**
   * @param input          the tool input {@code {url}}
   * @param networkAllowed whether the session's environment has unrestricted networking
   * @param config         the web_fetch config entry ({@code allowed_domains}, {@code blocked_domains})
   * @param cancellation   aborts the request
   * @return the page as text, or an error result saying why it was refused or failed
   */
  public Future<ToolResult> fetch(JsonObject input, boolean networkAllowed, JsonObject config, Cancellation cancellation) {
    String url = input.getString("url");
    if (url == null || url.isBlank()) {
      return Future.succeededFuture(ToolResult.error("url is required"));
    }
    URI uri;
    try {
      uri = parse(url);
    } catch (ToolInputException e) {
      return Future.succeededFuture(ToolResult.error(e.getMessage()));
    }
    long deadline = System.nanoTime() + policy.timeout().toNanos();
    return hop(uri, 0, networkAllowed, config == null ? new JsonObject() : config, deadline, cancellation);
  }

  private Future<ToolResult> hop(URI uri, int redirects, boolean networkAllowed, JsonObject config, long deadline,
                                 Cancellation cancellation) {
    String host = hostOf(uri);
    String domainRefusal = domainRefusal(host, config);
    if (domainRefusal != null) {
      return Future.succeededFuture(ToolResult.error(domainRefusal));
    }
    boolean privateOk = policy.allowPrivateAddresses() && networkAllowed;
    return vertx.executeBlocking(() -> InetAddress.getAllByName(host), false).compose(addrs -> {
      for (InetAddress a : addrs) {
        String why = AddressPolicy.refusal(a);
        if (why != null && !privateOk) {
          return Future.succeededFuture(ToolResult.error("refused: " + uri + " resolves to " + a.getHostAddress()
              + ", a " + why + "; web_fetch only reaches public addresses"));
        }
      }
      return request(uri, preferIpv4(addrs), deadline, cancellation).compose(page -> {
        if (page.location() == null) {
          return render(uri, page);
        }
        if (redirects >= policy.maxRedirects()) {
          return Future.succeededFuture(ToolResult.error("too many redirects fetching " + uri));
        }
        URI next;
        try {
          next = parse(uri.resolve(page.location()).toString());
        } catch (RuntimeException e) {
          return Future.succeededFuture(ToolResult.error("bad redirect from " + uri + ": " + e.getMessage()));
        }
        return hop(next, redirects + 1, networkAllowed, config, deadline, cancellation);
      });
    }, err -> Future.succeededFuture(ToolResult.error("cannot fetch " + uri + ": " + err.getMessage())));
  }

  /** Many hosts resolve to IPv6 too but have no IPv6 route; IPv4 is the safer first try. */
  private static InetAddress preferIpv4(InetAddress[] addrs) {
    for (InetAddress a : addrs) {
      if (a instanceof java.net.Inet4Address) {
        return a;
      }
    }
    return addrs[0];
  }

  private record Page(int status, String contentType, Buffer body, boolean truncated, String location) {
  }

  private Future<Page> request(URI uri, InetAddress address, long deadline, Cancellation cancellation) {
    long remainingMs = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
    boolean https = "https".equals(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
    String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    RequestOptions opts = new RequestOptions().setMethod(HttpMethod.GET)
        .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
        .setHost(hostOf(uri)).setPort(port).setSsl(https).setURI(path).setFollowRedirects(false)
        .setTimeout(remainingMs)
        .putHeader("user-agent", "Junction-web_fetch/1")
        .putHeader("accept", "text/html,text/plain,application/json,application/xml;q=0.9,*/*;q=0.5");
    Promise<Page> promise = Promise.promise();
    client.request(opts).onFailure(promise::tryFail).onSuccess(req -> {
      Runnable unregister = cancellation.onCancel(() -> {
        promise.tryFail("interrupted");
        req.reset();
      });
      long timer = vertx.setTimer(remainingMs, id -> {
        promise.tryFail("timed out after " + policy.timeout().toMillis() + " ms");
        req.reset();
      });
      promise.future().onComplete(x -> {
        unregister.run();
        vertx.cancelTimer(timer);
      });
      req.send().onFailure(promise::tryFail).onSuccess(resp -> readBody(resp, promise));
    });
    return promise.future();
  }

  private void readBody(HttpClientResponse resp, Promise<Page> promise) {
    String location = resp.statusCode() / 100 == 3 ? resp.getHeader("location") : null;
    String type = resp.getHeader("content-type");
    Buffer body = Buffer.buffer();
    resp.handler(chunk -> {
      int room = policy.maxBodyBytes() - body.length();
      if (chunk.length() <= room) {
        body.appendBuffer(chunk);
        return;
      }
      // Stop downloading at the cap: what is kept is what the model sees anyway.
      body.appendBuffer(chunk.getBuffer(0, Math.max(0, room)));
      promise.tryComplete(new Page(resp.statusCode(), type, body, true, location));
      resp.request().reset();
    });
    resp.exceptionHandler(promise::tryFail);
    resp.endHandler(v -> promise.tryComplete(new Page(resp.statusCode(), type, body, false, location)));
  }

  private Future<ToolResult> render(URI uri, Page page) {
    String type = page.contentType() == null ? "" : page.contentType().toLowerCase(Locale.ROOT);
    boolean html = type.contains("html");
    boolean textual = type.isEmpty() || type.startsWith("text/") || type.contains("json") || type.contains("xml")
        || type.contains("javascript");
    if (!textual) {
      return Future.succeededFuture(ToolResult.error(uri + " returned " + page.contentType()
          + ", which web_fetch does not turn into text"));
    }
    String raw = page.body().toString(charset(type));
    // Turning HTML into text is regex work over up to the body cap; keep it off the event loop.
    return vertx.executeBlocking(() -> html ? HtmlText.toText(raw) : raw, false).map(text -> {
      String head = "URL: " + uri + "\nStatus: " + page.status() + "\nContent-Type: " + page.contentType() + "\n\n";
      String tail = page.truncated() ? "\n[output truncated: body larger than " + policy.maxBodyBytes()
          + " bytes; the rest was not downloaded]" : "";
      String all = head + text + tail;
      return page.status() >= 400 ? ToolResult.error(all) : ToolResult.text(all);
    });
  }

  private static Charset charset(String type) {
    int at = type.indexOf("charset=");
    if (at >= 0) {
      try {
        return Charset.forName(type.substring(at + 8).replace("\"", "").split("[;\\s]")[0]);
      } catch (RuntimeException e) {
        // Unknown charset names fall back to UTF-8.
      }
    }
    return StandardCharsets.UTF_8;
  }

  static URI parse(String url) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (Exception e) {
      throw new ToolInputException("not a valid URL: " + url);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new ToolInputException("refused: only http and https URLs can be fetched, not " + url);
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new ToolInputException("URL has no host: " + url);
    }
    return uri;
  }

  private static String hostOf(URI uri) {
    String h = uri.getHost();
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }

  /** Honours web_fetch's {@code allowed_domains} / {@code blocked_domains}: a domain covers its subdomains. */
  static String domainRefusal(String host, JsonObject config) {
    String h = host.toLowerCase(Locale.ROOT);
    JsonArray blocked = config.getJsonArray("blocked_domains");
    if (blocked != null && blocked.stream().anyMatch(d -> covers(String.valueOf(d), h))) {
      return "refused: " + host + " is in blocked_domains";
    }
    JsonArray allowed = config.getJsonArray("allowed_domains");
    if (allowed != null && !allowed.isEmpty() && allowed.stream().noneMatch(d -> covers(String.valueOf(d), h))) {
      return "refused: " + host + " is not in allowed_domains";
    }
    return null;
  }

  private static boolean covers(String domain, String host) {
    String d = domain.toLowerCase(Locale.ROOT);
    return host.equals(d) || host.endsWith("." + d);
  }

  public Future<Void> close() {
    return client.close();
  }
}
