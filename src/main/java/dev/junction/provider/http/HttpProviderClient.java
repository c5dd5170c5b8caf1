package dev.junction.provider.http;

import dev.junction.provider.CallOptions;
import dev.junction.provider.EventStream;
import dev.junction.provider.FailureClass;
import dev.junction.provider.HttpFailures;
import dev.junction.provider.ModelRequest;
import dev.junction.provider.ModelResponse;
import dev.junction.provider.ProviderClient;
import dev.junction.provider.ProviderConfig;
import dev.junction.provider.ProviderException;
import dev.junction.provider.Readiness;
import dev.junction.provider.Timeouts;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link ProviderClient} every adapter uses: pooled Vert.x HTTP clients per endpoint
 * (keep-alive; HTTP/2 negotiated by ALPN on TLS endpoints, HTTP/1.1 on plain ones, since local
 * servers do not speak cleartext HTTP/2) and a {@link WireProtocol} for the translation.
 *
 * <p>A plain HTTP/1.1 endpoint gets one pool per event loop, used by the calls made on that loop:
 * a connection lives on the loop that opened it, and Vert.x's pool hands any idle connection to any
 * caller, so with one pool a call often ran on one thread while its connection's reads ran on
 * another, and every read crossed threads. A TLS endpoint keeps one pool: its few HTTP/2
 * connections multiplex the calls of every loop.
 */
public final class HttpProviderClient implements ProviderClient {
  private final Vertx vertx;
  private final ProviderConfig config;
  private final WireProtocol protocol;
  private final Endpoint endpoint;
  private final HttpClientOptions options;
  private final PoolOptions pool;
  private final HttpClientAgent shared;
  private final Map<EventLoop, HttpClientAgent> byLoop = new ConcurrentHashMap<>();

  public HttpProviderClient(Vertx vertx, ProviderConfig config, WireProtocol protocol) {
    this.vertx = vertx;
    this.config = config;
    this.protocol = protocol;
    this.endpoint = Endpoint.parse(config.baseUrl());
    HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        .setDefaultHost(endpoint.host()).setDefaultPort(endpoint.port()).setSsl(endpoint.ssl())
        // keep an idle pooled connection for a minute: providers close theirs after a while anyway
        .setKeepAliveTimeout(60).setHttp2KeepAliveTimeout(60);
    if (config.timeouts().connect() != null) {
      options.setConnectTimeout((int) config.timeouts().connect().toMillis());
    }
    if (endpoint.ssl()) {
      // offer h2 by ALPN; a server that does not pick it gets HTTP/1.1 on the same connection
      options.setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true);
      if (config.caFile() != null) {
        options.setTrustOptions(new PemTrustOptions().addCertPath(config.caFile()));
      }
    }
    // an HTTP/2 connection multiplexes up to the server's stream limit (about 100): a few suffice
    this.options = options;
    this.pool = new PoolOptions().setHttp1MaxSize(config.maxConnections())
        .setHttp2MaxSize(Math.max(2, config.maxConnections() / 16));
    this.shared = endpoint.ssl() ? vertx.httpClientBuilder().with(options).with(pool).build() : null;
  }

  /** The client for calls made on {@code context}: the shared one, or its event loop's. */
  private HttpClientAgent http(Context context) {
    if (shared != null) {
      return shared;
    }
    EventLoop loop = ((ContextInternal) context).nettyEventLoop();
    HttpClientAgent client = byLoop.get(loop);
    return client != null ? client
        : byLoop.computeIfAbsent(loop, l -> vertx.httpClientBuilder().with(options).with(pool).build());
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public ProviderConfig config() {
    return config;
  }

  @Override
  public Future<ModelResponse> send(ModelRequest request, CallOptions options) {
    Context context = vertx.getOrCreateContext();
    Promise<ModelResponse> promise = Promise.promise();
    call(context, request.withStream(false), options).send(promise);
    return promise.future();
  }

  @Override
  public Future<EventStream> stream(ModelRequest request, CallOptions options) {
    Context context = vertx.getOrCreateContext();
    Promise<EventStream> promise = Promise.promise();
    call(context, request.withStream(true), options).stream(promise);
    return promise.future();
  }

  @Override
  public Future<Long> countTokens(ModelRequest request, CallOptions options) {
    CallOptions effective = options == null ? CallOptions.DEFAULT : options;
    WireRequest wire;
    try {
      wire = protocol.encodeCountTokens(request, effective);
    } catch (RuntimeException e) {
      return Future.failedFuture(ProviderException.of(FailureClass.CALLER_FAULT,
          "request cannot be encoded: " + e.getMessage(), e));
    }
    if (wire == null) {
      return ProviderClient.super.countTokens(request, effective);
    }
    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setHost(endpoint.host())
        .setPort(endpoint.port()).setSsl(endpoint.ssl()).setURI(endpoint.path(wire.path()));
    Timeouts timeouts = config.timeouts().overriddenBy(effective.timeouts());
    if (timeouts.connect() != null) {
      ro.setConnectTimeout(timeouts.connect().toMillis());
    }
    if (timeouts.firstToken() != null) {
      ro.setIdleTimeout(timeouts.firstToken().toMillis());
    }
    wire.headers().forEach(ro::putHeader);
    return http(vertx.getOrCreateContext()).request(ro)
        .compose(req -> req.send(wire.body()).compose(resp -> resp.body().map(body -> {
          if (resp.statusCode() / 100 != 2) {
            throw protocol.classify(resp.statusCode(), resp::getHeader, body);
          }
          JsonObject json = HttpFailures.jsonOrNull(body);
          if (json == null || !(json.getValue("input_tokens") instanceof Number n)) {
            throw ProviderException.of(FailureClass.MALFORMED, "count_tokens reply has no input_tokens: "
                + HttpFailures.excerpt(body));
          }
          return n.longValue();
        })))
        .recover(e -> Future.failedFuture(e instanceof ProviderException ? e : TransportFailures.classify(e)));
  }

  private UpstreamCall call(Context context, ModelRequest request, CallOptions options) {
    CallOptions effective = options == null ? CallOptions.DEFAULT : options;
    return new UpstreamCall(context, http(context), endpoint, protocol, request, effective,
        config.timeouts().overriddenBy(effective.timeouts()));
  }

  @Override
  public Future<Readiness> probe() {
    return probe(protocol.probePaths(), 0, List.of());
  }

  private Future<Readiness> probe(List<String> paths, int index, List<String> models) {
    if (index == paths.size()) {
      return Future.succeededFuture(new Readiness(true, models, "ready"));
    }
    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.GET).setHost(endpoint.host())
        .setPort(endpoint.port()).setSsl(endpoint.ssl()).setURI(endpoint.path(paths.get(index)));
    if (config.timeouts().connect() != null) {
      ro.setConnectTimeout(config.timeouts().connect().toMillis());
    }
    if (config.timeouts().firstToken() != null) {
      ro.setIdleTimeout(config.timeouts().firstToken().toMillis());
    }
    for (Map.Entry<String, String> header : protocol.probeHeaders().entrySet()) {
      ro.putHeader(header.getKey(), header.getValue());
    }
    return http(vertx.getOrCreateContext()).request(ro)
        .compose(req -> req.send().compose(resp -> resp.body().map(body -> new Object[] {resp, body})))
        .compose(pair -> {
          var resp = (io.vertx.core.http.HttpClientResponse) pair[0];
          Buffer body = (Buffer) pair[1];
          if (resp.statusCode() / 100 != 2) {
            ProviderException failure = protocol.classify(resp.statusCode(), resp::getHeader, body);
            return Future.succeededFuture(new Readiness(false, models,
                paths.get(index) + " answered " + resp.statusCode() + ": " + failure.getMessage()));
          }
          List<String> listed = ModelList.ids(body);
          return probe(paths, index + 1, listed.isEmpty() ? models : listed);
        }, failure -> Future.succeededFuture(new Readiness(false, models,
            paths.get(index) + " unreachable: " + failure.getMessage())));
  }

  @Override
  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    if (shared != null) {
      closing.add(shared.close());
    }
    byLoop.values().forEach(client -> closing.add(client.close()));
    return Future.all(closing).mapEmpty();
  }
}
