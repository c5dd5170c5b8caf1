package dev.junction.provider.http;

import dev.junction.provider.FailureClass;
import dev.junction.provider.ProviderException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** Maps what the socket layer throws to a failure class: timeouts are TIMEOUT, everything else NETWORK. */
public final class TransportFailures {
  private TransportFailures() {
  }

  public static ProviderException classify(Throwable failure) {
    if (failure instanceof ProviderException provider) {
      return provider;
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException || t instanceof io.netty.channel.ConnectTimeoutException
          || t.getClass().getSimpleName().contains("Timeout")) {
        return ProviderException.of(FailureClass.TIMEOUT, "upstream timed out: " + t.getMessage(), failure);
      }
      if (t instanceof ConnectException) {
        return ProviderException.of(FailureClass.NETWORK, "connection refused: " + t.getMessage(), failure);
      }
    }
    return ProviderException.of(FailureClass.NETWORK, "upstream connection failed: " + failure, failure);
  }
}
