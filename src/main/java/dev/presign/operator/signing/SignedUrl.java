package dev.presign.operator.signing;

import java.time.Duration;
import java.time.Instant;

/**
 * A presigned URL, the instant S3 stops accepting it and the lifetime it was signed for. A bearer
 * credential: never log it.
 */
public record SignedUrl(String url, Instant expiresAt, Duration lifetime) {

  @Override
  public String toString() {
    return "SignedUrl[" + UrlRedaction.redact(url) + ", expiresAt=" + expiresAt + "]";
  }
}
