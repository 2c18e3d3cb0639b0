package dev.presign.operator.rotation;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** "Is a new URL due?" (rule R4), decided apart from issuing it. */
public enum IssueDecision {
  NOT_DUE(false, "the current URL is valid"),
  NO_URL(true, "no URL has been issued"),
  SECRET_EDITED(true, "the URL in the Secret was changed outside the operator"),
  SPEC_CHANGED(true, "the spec changed"),
  ROTATION_REQUESTED(true, "a rotation was requested (annotation presign.dev/rotate-requested-at)"),
  RENEWAL_DUE(true, "the renewal time has come");

  private final boolean due;
  private final String description;

  IssueDecision(boolean due, String description) {
    this.due = due;
    this.description = description;
  }

  /**
   * Whether the URL would be signed in the same second as the current one: SigV4 URLs are signed to
   * the second, so it would be the very same URL, which a requested rotation (R10) must not give.
   * The next second gives a new one.
   */
  public boolean repeatsCurrent(Optional<IssuedUrl> current, Instant now) {
    return this == ROTATION_REQUESTED
        && current
            .map(url -> url.issuedAt().equals(now.truncatedTo(ChronoUnit.SECONDS)))
            .orElse(false);
  }

  public boolean isDue() {
    return due;
  }

  public String description() {
    return description;
  }

  /**
   * @param rotationRequested whether the link carries a rotation request not yet acted on (R10)
   */
  public static IssueDecision decide(
      Optional<IssuedUrl> current, long generation, boolean rotationRequested, Instant now) {
    if (current.isEmpty()) {
      return NO_URL;
    }
    IssuedUrl issued = current.get();
    if (!issued.intact()) {
      return SECRET_EDITED;
    }
    if (issued.generation() != generation) {
      return SPEC_CHANGED;
    }
    if (rotationRequested) {
      return ROTATION_REQUESTED;
    }
    return now.isBefore(issued.renewalTime()) ? NOT_DUE : RENEWAL_DUE;
  }
}
