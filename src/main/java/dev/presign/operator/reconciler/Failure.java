package dev.presign.operator.reconciler;

import dev.presign.operator.credentials.CredentialsUnavailableException;
import dev.presign.operator.policy.NotPermittedException;
import dev.presign.operator.signing.SigningFailedException;
import dev.presign.operator.signing.UrlRedaction;
import dev.presign.operator.validation.InvalidSpecException;
import java.util.Optional;

/**
 * A failed reconcile, named by its condition reason (STYLE: errors have names).
 *
 * @param retry whether trying again, with backoff, can succeed without a change to the link
 * @param transientFailure whether a URL issued before stays good while the failure lasts
 */
record Failure(EventReason reason, String message, boolean retry, boolean transientFailure) {

  /** The failure an exception stands for; empty for errors without a name (left to the SDK). */
  static Optional<Failure> of(Throwable thrown) {
    // The SDK's metrics wrap what the reconciler threw; the named failure is the cause.
    for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
      Optional<Failure> named = named(cause);
      if (named.isPresent()) {
        return named;
      }
    }
    return Optional.empty();
  }

  private static Optional<Failure> named(Throwable exception) {
    String message = UrlRedaction.redact(exception.getMessage());
    if (exception instanceof InvalidSpecException) {
      return Optional.of(new Failure(null, message, false, false));
    }
    if (exception instanceof SecretConflictException) {
      return Optional.of(new Failure(EventReason.SecretConflict, message, true, false));
    }
    // Only a change of the policy or of the link can help, and either triggers a reconcile.
    if (exception instanceof NotPermittedException) {
      return Optional.of(new Failure(EventReason.NotPermitted, message, false, false));
    }
    if (exception instanceof CredentialsUnavailableException) {
      return Optional.of(new Failure(EventReason.CredentialsUnavailable, message, true, true));
    }
    if (exception instanceof SigningFailedException) {
      return Optional.of(new Failure(EventReason.SigningFailed, message, true, true));
    }
    return Optional.empty();
  }

  /** The Ready condition's reason. InvalidSpec is a condition reason without an event. */
  String conditionReason() {
    return reason == null ? "InvalidSpec" : reason.name();
  }
}
