package dev.presign.operator.reconciler;

import dev.presign.operator.credentials.CredentialsUnavailableException;
import dev.presign.operator.policy.NotPermittedException;
import dev.presign.operator.signing.SigningFailedException;
import dev.presign.operator.signing.UrlRedaction;
import dev.presign.operator.validation.InvalidSpecException;
import java.util.Map;
import java.util.Optional;

/**
 * A failed reconcile, named by its condition reason (STYLE: errors have names; R8: every failure
 * has one). What the operator did not foresee is ReconcileFailed, with the exception's own words.
 *
 * @param stalled only a change by a person can help (kstatus: Stalled, Failed); otherwise the
 *     failure is transient, a URL issued before stays good while it lasts, and it is retried
 * @param retry whether to try again with backoff; a SecretConflict is stalled but still retried,
 *     since the foreign Secret's removal sends the operator no event
 */
record Failure(EventReason reason, String message, boolean stalled, boolean retry) {

  private static final Map<Class<? extends RuntimeException>, EventReason> NAMED =
      Map.of(
          InvalidSpecException.class, EventReason.InvalidSpec,
          NotPermittedException.class, EventReason.NotPermitted,
          SecretConflictException.class, EventReason.SecretConflict,
          CredentialsUnavailableException.class, EventReason.CredentialsUnavailable,
          SigningFailedException.class, EventReason.SigningFailed,
          SecretWriteFailedException.class, EventReason.SecretWriteFailed,
          RestartFailedException.class, EventReason.RestartFailed);

  /** The failure an exception stands for. */
  static Failure of(Throwable thrown) {
    // The SDK's metrics wrap what the reconciler threw; the named failure is the cause.
    for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
      EventReason reason = NAMED.get(cause.getClass());
      if (reason != null) {
        return of(reason, cause.getMessage());
      }
    }
    return of(
        EventReason.ReconcileFailed,
        thrown.getClass().getSimpleName()
            + Optional.ofNullable(thrown.getMessage()).map(m -> ": " + m).orElse(""));
  }

  private static Failure of(EventReason reason, String message) {
    String redacted = UrlRedaction.redact(message);
    return switch (reason) {
      // Only a change of the link or of the policy can help, and either triggers a reconcile.
      case InvalidSpec, NotPermitted -> new Failure(reason, redacted, true, false);
      case SecretConflict -> new Failure(reason, redacted, true, true);
      default -> new Failure(reason, redacted, false, true);
    };
  }

  /** Whether a URL issued before stays good while the failure lasts. */
  boolean transientFailure() {
    return !stalled;
  }
}
