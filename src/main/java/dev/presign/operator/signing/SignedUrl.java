package dev.presign.operator.signing;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A presigned URL, the instant S3 stops accepting it and the lifetime it was signed for. A bearer
 * credential: never log it.
 *
 * @param url for POST: the form's action
 * @param fields POST only: the form fields (policy, signature...) in the order the form sends them;
 *     empty for GET and PUT
 */
public record SignedUrl(
    String url, Map<String, String> fields, Instant expiresAt, Duration lifetime) {

  /** The fingerprint of the URL and its fields (R6: the status shows this, never the URL). */
  public String digest() {
    return UrlRedaction.digest(url, fields.isEmpty() ? null : FormFields.toJson(fields));
  }

  @Override
  public String toString() {
    return "SignedUrl["
        + UrlRedaction.redact(url)
        + (fields.isEmpty() ? "" : ", " + fields.size() + " form fields")
        + ", expiresAt="
        + expiresAt
        + "]";
  }
}
