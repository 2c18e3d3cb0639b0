package dev.presign.operator.rotation;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** "Is a new URL due?" (rule R4), decided apart from issuing it. */
public enum IssueDecision {
  NOT_DUE(false, "the current URL is valid"),
  TEMPLATES_CHANGED(
      false, "only spec.secretTemplate.data changed: the current URL is valid and rendered anew"),
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
   * @param signedSpec the fingerprint of what a URL for the link as it is now is signed for: a new
   *     generation with the fingerprint the Secret records changed only templates
   * @param rotationRequested whether the link carries a rotation request not yet acted on (R10)
   */
  public static IssueDecision decide(
      Optional<IssuedUrl> current,
      long generation,
      String signedSpec,
      boolean rotationRequested,
      Instant now) {
    if (current.isEmpty()) {
      return NO_URL;
    }
    IssuedUrl issued = current.get();
    if (!issued.intact()) {
      return SECRET_EDITED;
    }
    boolean newGeneration = issued.generation() != generation;
    // A Secret written before the fingerprint was recorded has none: any new generation signs.
    if (newGeneration && !issued.signedSpec().equals(Optional.of(signedSpec))) {
      return SPEC_CHANGED;
    }
    if (rotationRequested) {
      return ROTATION_REQUESTED;
    }
    if (!now.isBefore(issued.renewalTime())) {
      return RENEWAL_DUE;
    }
    return newGeneration ? TEMPLATES_CHANGED : NOT_DUE;
  }
}
