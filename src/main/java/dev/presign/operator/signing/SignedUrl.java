package dev.presign.operator.signing;

import java.time.Instant;

/** A presigned URL and the instant S3 stops accepting it. A bearer credential: never log it. */
public record SignedUrl(String url, Instant expiresAt) {

  @Override
  public String toString() {
    return "SignedUrl[" + UrlRedaction.redact(url) + ", expiresAt=" + expiresAt + "]";
  }
}
