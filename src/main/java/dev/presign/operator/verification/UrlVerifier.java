package dev.presign.operator.verification;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches the first byte of an object through its presigned GET URL (R11). The Range header is not
 * part of the signature, so the request is the URL's own: it needs no permission beyond the URL's
 * and reads one byte. Redirects are not followed: S3 answers a wrong region with one, which is the
 * finding. No Kubernetes here.
 */
public final class UrlVerifier {

  /**
   * S3 answers a ranged GET with one byte or an error document of a few hundred bytes; a server
   * that sends more (one that ignored the Range) is not read further.
   */
  private static final int MAX_BODY = 16 * 1024;

  private static final Pattern CODE = Pattern.compile("<Code>([^<]{1,128})</Code>");
  private static final Pattern MESSAGE = Pattern.compile("<Message>([^<]{0,1024})</Message>");

  private final HttpClient http;
  private final Duration timeout;

  public UrlVerifier(Duration timeout) {
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(timeout)
            .build();
  }

  /** One ranged GET; returns within about the timeout, whatever the server does. */
  public Verification verify(String url) {
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(timeout)
              .header("Range", "bytes=0-0")
              .GET()
              .build();
    } catch (IllegalArgumentException e) {
      return Verification.failed("InvalidUrl", "the URL is not one an HTTP client can send");
    }
    try {
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      // Read to its end, the answer leaves its connection to the next verification: one closed
      // unread is not reused, which cost a new connection (over TLS, a handshake) per link. Closing
      // it after MAX_BODY ends the download of an object whose server ignored the Range.
      try (InputStream body = response.body()) {
        byte[] read = body.readNBytes(MAX_BODY);
        String text = response.statusCode() >= 300 ? new String(read, StandardCharsets.UTF_8) : "";
        return answer(response.statusCode(), text);
      }
    } catch (IOException e) {
      return Verification.unreachable(cause(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Verification.unreachable("interrupted");
    }
  }

  /** What an HTTP answer says about the URL. */
  static Verification answer(int status, String body) {
    if (status == 200 || status == 206) {
      return Verification.ok("S3 answered " + status + " to a ranged GET of the URL");
    }
    Optional<String> code = element(CODE, body);
    if (status == 416 && code.map("InvalidRange"::equals).orElse(true)) {
      // No byte 0 to send: the object exists and is empty, and the URL was accepted.
      return Verification.ok("S3 answered 416: the object is empty");
    }
    String message = element(MESSAGE, body).orElse("HTTP " + status);
    return code.map(c -> Verification.failed(c, c + ": " + message))
        .orElseGet(() -> Verification.failed("HTTP" + status, "HTTP " + status));
  }

  private static Optional<String> element(Pattern pattern, String body) {
    Matcher matcher = pattern.matcher(body);
    return matcher.find() ? Optional.of(unescape(matcher.group(1).strip())) : Optional.empty();
  }

  private static String unescape(String xml) {
    return xml.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
  }

  /** The exception and its causes by name, as "ConnectException: Connection refused". */
  private static String cause(Throwable thrown) {
    StringBuilder described = new StringBuilder();
    for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
      if (described.length() > 0) {
        described.append(" <- ");
      }
      described.append(cause.getClass().getSimpleName());
      if (cause.getMessage() != null) {
        described.append(": ").append(cause.getMessage());
      }
    }
    return described.toString();
  }
}
