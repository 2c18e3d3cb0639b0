package dev.presign.operator.report;

import dev.presign.operator.rotation.IssuedUrl;

/** The closed set of event reasons (DESIGN §5); failures are also the Ready condition's reasons. */
public enum EventReason {
  Issued(false),
  Rotated(false),
  LifetimeCapped(true),
  InvalidSpec(true),
  NotPermitted(true),
  SigningFailed(true),
  CredentialsUnavailable(true),
  SecretConflict(true),
  /** The API server refused or failed a request for the link's Secret. */
  SecretWriteFailed(true),
  /** A failure the operator has no name for: the exception's own message. */
  ReconcileFailed(true),
  RestartedTargets(false),
  /** A new URL issued for presign.dev/rotate-requested-at (R10). */
  RotationRequested(false),
  /** A restart target could not be restarted; retried with backoff (R9). */
  RestartFailed(true),
  /** A workload reads the Secret in a way that never sees a new URL (R9). */
  ConsumerNotUpdated(true),
  /** A new GET URL did not read its object: S3's error code, or unreachable (R11). */
  VerificationFailed(true);

  private final boolean warning;

  EventReason(boolean warning) {
    this.warning = warning;
  }

  /** What writing this URL is: its first issue, or a rotation. */
  public static EventReason ofIssued(IssuedUrl issued) {
    return issued.rotations() > 1 ? Rotated : Issued;
  }

  public String type() {
    return warning ? "Warning" : "Normal";
  }
}
