package dev.junction.provider.http;

import java.net.URI;

/**
 * A provider base URL split for the HTTP client. A trailing {@code /v1} on the base URL is
 * dropped, because protocols name full paths ({@code /v1/messages}, {@code /health}) and the
 * conventional {@code OPENAI_BASE_URL} / {@code QWEN_BASE_URL} values end in {@code /v1}.
 */
public record Endpoint(String host, int port, boolean ssl, String prefix) {

  public static Endpoint parse(String baseUrl) {
    URI uri = URI.create(baseUrl);
    String scheme = uri.getScheme();
    if (scheme == null || uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
      throw new IllegalArgumentException("base URL '" + baseUrl + "' must look like https://host[:port][/prefix]");
    }
    boolean ssl = scheme.equals("https");
    int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.endsWith("/v1")) {
      path = path.substring(0, path.length() - 3);
    }
    return new Endpoint(uri.getHost(), port, ssl, path);
  }

  /** The request URI for a protocol path such as {@code /v1/messages}. */
  public String path(String protocolPath) {
    return prefix + protocolPath;
  }
}
