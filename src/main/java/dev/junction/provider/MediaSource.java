package dev.junction.provider;

/**
 * Where an image or document's bytes come from: inline base64 ({@code kind = "base64"}), a URL
 * ({@code kind = "url"}) or, for documents, plain text ({@code kind = "text"}).
 */
public record MediaSource(String kind, String mediaType, String data, String url) {

  public static MediaSource base64(String mediaType, String data) {
    return new MediaSource("base64", mediaType, data, null);
  }

  public static MediaSource url(String url) {
    return new MediaSource("url", null, null, url);
  }

  public static MediaSource text(String text) {
    return new MediaSource("text", "text/plain", text, null);
  }

  /** A {@code data:} URL for base64 sources, the URL itself otherwise (OpenAI's image_url form). */
  public String asUrl() {
    return "base64".equals(kind) ? "data:" + mediaType + ";base64," + data : url;
  }
}
