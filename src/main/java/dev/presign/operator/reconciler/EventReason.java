package dev.presign.operator.reconciler;

/** The closed set of event reasons (DESIGN §5). */
public enum EventReason {
  Issued(false),
  Rotated(false),
  LifetimeCapped(true),
  NotPermitted(true),
  SigningFailed(true),
  CredentialsUnavailable(true),
  SecretConflict(true),
  RestartedTargets(false);

  private final boolean warning;

  EventReason(boolean warning) {
    this.warning = warning;
  }

  public String type() {
    return warning ? "Warning" : "Normal";
  }
}
