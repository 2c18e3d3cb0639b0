package dev.presign.operator.rotation;

import java.time.Instant;
import java.util.Optional;

/**
 * What the Secret records about the URL it holds.
 *
 * @param generation the link generation the URL was signed for
 * @param intact false when the URL in the Secret is not the one the operator wrote
 * @param signedSpec the fingerprint of the spec the URL was signed for, without its templates;
 *     empty in a Secret written before it was recorded
 */
public record IssuedUrl(
    long generation,
    Instant issuedAt,
    Instant expiresAt,
    Instant renewalTime,
    Optional<Instant> credentialsExpireAt,
    long rotations,
    String urlDigest,
    boolean intact,
    Optional<String> signedSpec) {

  /** The same URL, recorded as serving {@code newGeneration}, whose spec it was signed for. */
  public IssuedUrl serving(long newGeneration) {
    return new IssuedUrl(
        newGeneration,
        issuedAt,
        expiresAt,
        renewalTime,
        credentialsExpireAt,
        rotations,
        urlDigest,
        intact,
        signedSpec);
  }

  /** True while the URL works and was signed for the link as it is now. */
  public boolean servesGeneration(long currentGeneration, Instant now) {
    return intact && generation == currentGeneration && now.isBefore(expiresAt);
  }
}
