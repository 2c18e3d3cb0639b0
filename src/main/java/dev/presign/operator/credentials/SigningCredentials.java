package dev.presign.operator.credentials;

import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * Credentials to sign with, and when they stop working (empty for long-lived keys).
 *
 * @param source what they are, for messages: never the keys themselves
 */
public record SigningCredentials(
    AwsCredentials credentials, Optional<Instant> expiresAt, String source) {

  @Override
  public String toString() {
    return "SigningCredentials[" + source + ", expiresAt=" + expiresAt + "]";
  }
}
