package dev.presign.operator.credentials;

import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * One STS session of a role, and the arithmetic of when it still serves a URL (R2).
 *
 * <p>A session serves a URL while at least two thirds of what a fresh session could give remain
 * (the lifetime asked for, as far as STS granted it last time): no URL is capped below two thirds
 * of what a fresh session would allow. It is refreshed a little before that, so that while STS
 * answers no link ever finds it stale; while STS does not answer, it still signs any URL it
 * outlives by the link's renewBefore.
 */
record RoleSession(AwsSessionCredentials credentials, Instant obtainedAt, Instant expiresAt) {

  /** Share of what a fresh session could give below which a URL would be cut short. */
  private static final double SERVES = 2.0 / 3;

  /** Share at which a refresh starts in the background, ahead of {@link #SERVES}. */
  private static final double REFRESH = 0.7;

  /** Whether a URL that wants {@code wanted} may be signed with it without being cut short. */
  boolean serves(Duration wanted, Instant now) {
    return !expiresAt.isBefore(now.plus(share(couldGive(wanted), SERVES)));
  }

  /** Whether links that want {@code wanted} will soon find it stale: time to refresh it. */
  boolean refreshDue(Duration wanted, Instant now) {
    return expiresAt.isBefore(now.plus(share(couldGive(wanted), REFRESH)));
  }

  /** Whether it outlives {@code now + at least}: the shortest URL worth signing while STS fails. */
  boolean lasts(Duration atLeast, Instant now) {
    return !expiresAt.isBefore(now.plus(atLeast));
  }

  private Duration couldGive(Duration wanted) {
    Duration granted = Duration.between(obtainedAt, expiresAt);
    return wanted.compareTo(granted) < 0 ? wanted : granted;
  }

  private static Duration share(Duration duration, double share) {
    return Duration.ofMillis((long) (duration.toMillis() * share));
  }
}
