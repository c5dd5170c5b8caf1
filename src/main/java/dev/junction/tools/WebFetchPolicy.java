package dev.junction.tools;

import java.time.Duration;

/**
 * Limits of web_fetch.
 *
 * @param maxBodyBytes          body bytes read at most; the rest is not downloaded
 * @param timeout               total time per fetch, redirects included
 * @param maxRedirects          redirects followed (each hop is checked like the first URL)
 * @param allowPrivateAddresses for tests only: lets web_fetch reach loopback and private addresses,
 *                              and only in sessions whose environment has unrestricted networking
 */
public record WebFetchPolicy(int maxBodyBytes, Duration timeout, int maxRedirects, boolean allowPrivateAddresses) {

  public static WebFetchPolicy defaults() {
    return new WebFetchPolicy(1 << 20, Duration.ofSeconds(30), 5, false);
  }

  /** @return these limits with private addresses reachable (tests against a local server) */
  public WebFetchPolicy allowingPrivateAddressesForTests() {
    return new WebFetchPolicy(maxBodyBytes, timeout, maxRedirects, true);
  }

  public WebFetchPolicy withMaxBodyBytes(int bytes) {
    return new WebFetchPolicy(bytes, timeout, maxRedirects, allowPrivateAddresses);
  }
}
