package dev.presign.operator.reconciler;

import dev.presign.operator.credentials.CredentialsUnavailableException;
import dev.presign.operator.signing.SigningFailedException;
import dev.presign.operator.signing.UrlRedaction;
import dev.presign.operator.validation.InvalidSpecException;
import io.javaoperatorsdk.operator.OperatorException;
import java.util.Optional;

/**
 * A failed reconcile, named by its condition reason (STYLE: errors have names).
 *
 * @param retry whether trying again, with backoff, can succeed without a change to the link
 * @param transientFailure whether a URL issued before stays good while the failure lasts
 */
record Failure(EventReason reason, String message, boolean retry, boolean transientFailure) {

  /**
   * The failure an exception stands for; empty for errors without a name (left to the SDK). The
   * SDK's Micrometer metrics hand what reconcile threw to updateErrorStatus wrapped in an
   * OperatorException, so its cause is what is named.
   */
  static Optional<Failure> of(Exception thrown) {
    Throwable exception =
        thrown instanceof OperatorException && thrown.getCause() != null ? thrown.getCause() : thrown;
    String message = UrlRedaction.redact(exception.getMessage());
    if (exception instanceof InvalidSpecException) {
      return Optional.of(new Failure(null, message, false, false));
    }
    if (exception instanceof SecretConflictException) {
      return Optional.of(new Failure(EventReason.SecretConflict, message, true, false));
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
