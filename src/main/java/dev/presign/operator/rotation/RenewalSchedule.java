package dev.presign.operator.rotation;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Pure time arithmetic of rules R2 and R3: when a URL signed now expires, and when it is replaced.
 */
public final class RenewalSchedule {

  /** Shortest wait before a renewal, so a rotation never spins. */
  static final Duration MIN_DELAY = Duration.ofSeconds(1);

  private final double maxJitterFraction;
  private final Duration maxJitter;

  /**
   * @param maxJitterFraction largest share of the renewal window a renewal is moved earlier by
   * @param maxJitter upper bound of that jitter
   */
  public RenewalSchedule(double maxJitterFraction, Duration maxJitter) {
    if (maxJitterFraction < 0 || maxJitterFraction >= 1) {
      throw new IllegalArgumentException("jitter fraction must be in [0, 1): " + maxJitterFraction);
    }
    this.maxJitterFraction = maxJitterFraction;
    this.maxJitter = maxJitter;
  }

  /**
   * Plans the URL signed at {@code now}.
   *
   * @param credentialsExpireAt expiry of temporary signing credentials, if any
   * @param random a number in [0, 1) that picks the jitter
   * @throws IllegalArgumentException when the credentials expire within a second
   */
  public Schedule plan(
      Instant now,
      Duration expiresIn,
      Duration renewBefore,
      Optional<Instant> credentialsExpireAt,
      double random) {
    Instant issuedAt = now.truncatedTo(ChronoUnit.SECONDS);
    Instant requested = issuedAt.plusSeconds(expiresIn.toSeconds());
    Instant expiresAt =
        credentialsExpireAt
            .map(expiry -> expiry.truncatedTo(ChronoUnit.SECONDS))
            .filter(expiry -> expiry.isBefore(requested))
            .orElse(requested);
    Duration lifetime = Duration.between(issuedAt, expiresAt);
    if (lifetime.compareTo(MIN_DELAY) <= 0) {
      throw new IllegalArgumentException("the signing credentials expire at " + expiresAt);
    }
    Instant renewal =
        renewBefore.compareTo(lifetime) < 0
            ? expiresAt.minus(renewBefore)
            : issuedAt.plusSeconds(lifetime.toSeconds() * 2 / 3);
    Duration window = Duration.between(renewal, expiresAt);
    long jitterCeiling =
        Math.min((long) (window.toSeconds() * maxJitterFraction), maxJitter.toSeconds());
    Instant jittered = renewal.minusSeconds((long) (random * (jitterCeiling + 1)));
    Instant earliest = issuedAt.plus(MIN_DELAY);
    return new Schedule(
        issuedAt,
        expiresAt,
        jittered.isBefore(earliest) ? earliest : jittered,
        !expiresAt.equals(requested));
  }

  /** How long to wait from {@code now} until {@code renewalTime}; never zero or negative. */
  public static Duration delayUntil(Instant renewalTime, Instant now) {
    Duration delay = Duration.between(now, renewalTime);
    return delay.compareTo(MIN_DELAY) < 0 ? MIN_DELAY : delay;
  }
}
