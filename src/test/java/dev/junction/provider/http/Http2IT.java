package dev.junction.provider.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.junction.provider.CallOptions;
import dev.junction.provider.Decoding;
import dev.junction.provider.EventStream;
import dev.junction.provider.FailureClass;
import dev.junction.provider.ProviderClient;
import dev.junction.provider.ProviderClients;
import dev.junction.provider.ProviderConfig;
import dev.junction.provider.ProviderException;
import dev.junction.provider.ProviderKind;
import dev.junction.provider.StreamEvent;
import dev.junction.testing.FakeUpstream;
import dev.junction.testing.FakeUpstream.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Against a TLS upstream that offers h2 by ALPN, calls go over HTTP/2, a cancelled stream is
 * reset on its own (the connection carries on), and calls share one connection.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class Http2IT {
  private SelfSignedCertificate certificate;
  private FakeUpstream upstream;
  private ProviderClient client;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    certificate = SelfSignedCertificate.create("localhost");
    FakeUpstream.startTls(vertx, certificate).onComplete(ctx.succeeding(u -> {
      upstream = u;
      client = ProviderClients.create(vertx, ProviderConfig.of("tls", ProviderKind.ANTHROPIC, u.baseUrl(), "k")
          .withCaFile(certificate.certificatePath()), Decoding.CLOCK);
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    Future.join(client.close(), upstream.close()).onComplete(ar -> {
      certificate.delete();
      ctx.completeNow();
    });
  }

  @Test
  void callsUseHttp2AndACancelledStreamIsResetWithoutClosingTheConnection(Vertx vertx, VertxTestContext ctx) {
    upstream.enqueue(Reply.fixture("anthropic/stream_tool_use.sse").drip(40, 30))
        .enqueue(Reply.fixture("anthropic/message_text.json"));
    client.stream(Decoding.turn(), CallOptions.DEFAULT).onComplete(ctx.succeeding(stream -> {
      stream.handler(event -> {
        if (event instanceof StreamEvent.BlockStart) {
          stream.cancel();
        }
      });
      stream.endHandler(v -> ctx.failNow("a cancelled stream must not end cleanly"));
      stream.exceptionHandler(t -> ctx.verify(() -> {
        assertEquals(FailureClass.CANCELLED, ((ProviderException) t).failureClass());
        upstream.resets().compose(reset -> client.send(Decoding.turn(), CallOptions.DEFAULT))
            .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
              assertEquals("msg_01XFDUDYJgAACzvnptvVoYEL", reply.id());
              List<FakeUpstream.Received> sent = upstream.requests();
              assertEquals(HttpVersion.HTTP_2, sent.get(0).version());
              assertEquals(HttpVersion.HTTP_2, sent.get(1).version());
              assertEquals(sent.get(0).clientPort(), sent.get(1).clientPort(), "the reset closed the stream, not the connection");
              ctx.completeNow();
            })));
      }));
    }));
  }

  @Test
  void aStreamOverHttp2AccumulatesLikeOneRead(VertxTestContext ctx) {
    upstream.enqueue(Reply.fixture("anthropic/stream_thinking_tool_use.sse"));
    client.stream(Decoding.turn(), CallOptions.DEFAULT).compose(EventStream::accumulate)
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals("msg_01Rk8sT2vW4xY6zA9bC1dE3f", r.id());
          assertFalse(r.content().isEmpty());
          assertEquals(HttpVersion.HTTP_2, upstream.lastRequest().version());
          ctx.completeNow();
        })));
  }
}
