package dev.presign.operator.report;

import dev.presign.operator.signing.UrlRedaction;

/**
 * A failed reconcile, named by its condition reason (STYLE: errors have names; R8: every failure
 * has one), and what the reason means for the status: which exception stands for which reason is
 * the reconciler's to say, as it sees every feature's exceptions.
 *
 * @param stalled only a change by a person can help (kstatus: Stalled, Failed); otherwise the
 *     failure is transient, a URL issued before stays good while it lasts, and it is retried
 * @param retry whether to try again with backoff; a SecretConflict is stalled but still retried,
 *     since the foreign Secret's removal sends the operator no event
 */
public record Failure(EventReason reason, String message, boolean stalled, boolean retry) {

  /** The failure of {@code reason}; the message is redacted (R6). */
  public static Failure named(EventReason reason, String message) {
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
