package dev.presign.operator.reconciler;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkStatus;
import dev.presign.operator.consumers.RestartFailedException;
import dev.presign.operator.credentials.CredentialsUnavailableException;
import dev.presign.operator.policy.NotPermittedException;
import dev.presign.operator.report.EventReason;
import dev.presign.operator.report.Failure;
import dev.presign.operator.report.LinkEvents;
import dev.presign.operator.report.LinkMetrics;
import dev.presign.operator.report.LinkStatus;
import dev.presign.operator.rotation.IssuedUrl;
import dev.presign.operator.secret.ApiRefusal;
import dev.presign.operator.secret.LinkSecrets;
import dev.presign.operator.secret.SecretConflictException;
import dev.presign.operator.secret.SecretWriteFailedException;
import dev.presign.operator.signing.SigningFailedException;
import dev.presign.operator.validation.InvalidSpecException;
import dev.presign.operator.verification.Verifications;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Rule R8: a failed reconcile gets its name in the status, a Warning event when the status changes,
 * one log line, and a retry with backoff unless only a person can help. The controller's side of
 * failures: it names what each feature throws and reports it with the status, events and metrics.
 */
final class FailureReports {

  private static final Logger LOG = Logger.getLogger(FailureReports.class);

  /** The exceptions that stand for a condition reason; any other is ReconcileFailed. */
  private static final Map<Class<? extends RuntimeException>, EventReason> NAMED =
      Map.of(
          InvalidSpecException.class, EventReason.InvalidSpec,
          NotPermittedException.class, EventReason.NotPermitted,
          SecretConflictException.class, EventReason.SecretConflict,
          CredentialsUnavailableException.class, EventReason.CredentialsUnavailable,
          SigningFailedException.class, EventReason.SigningFailed,
          SecretWriteFailedException.class, EventReason.SecretWriteFailed,
          RestartFailedException.class, EventReason.RestartFailed);

  private final LinkEvents events;
  private final LinkMetrics metrics;
  private final Verifications verifications;
  private final FaultRecovery faults;
  private final LinkSecrets secrets;
  private final Clock clock;

  FailureReports(
      LinkEvents events,
      LinkMetrics metrics,
      Verifications verifications,
      FaultRecovery faults,
      LinkSecrets secrets,
      Clock clock) {
    this.events = events;
    this.metrics = metrics;
    this.verifications = verifications;
    this.faults = faults;
    this.secrets = secrets;
    this.clock = clock;
  }

  /** The failure an exception stands for (STYLE: errors have names). */
  static Failure named(Throwable thrown) {
    // The SDK's metrics wrap what the reconciler threw; the named failure is the cause.
    for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
      EventReason reason = NAMED.get(cause.getClass());
      if (reason != null) {
        return Failure.named(reason, cause.getMessage());
      }
    }
    return Failure.named(
        EventReason.ReconcileFailed,
        thrown.getClass().getSimpleName()
            + Optional.ofNullable(thrown.getMessage()).map(m -> ": " + m).orElse(""));
  }

  /** Whether the reconcile's thread was interrupted: the Kubernetes client wraps the interrupt. */
  static boolean interrupted(Throwable thrown) {
    for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
      if (cause instanceof InterruptedException || cause instanceof InterruptedIOException) {
        return true;
      }
    }
    return Thread.currentThread().isInterrupted();
  }

  ErrorStatusUpdateControl<PresignedObjectLink> report(
      PresignedObjectLink link, Context<PresignedObjectLink> context, Exception exception) {
    if (interrupted(exception)) {
      // Only the SDK's stop interrupts a reconcile: it gives those in flight no time to end
      // (quarkus-operator-sdk leaves its termination timeout at zero). What they wrote stands, and
      // the next leader reconciles the link again; nothing failed that a person should look at.
      LOG.infof("%s: reconcile cut short: the operator is stopping", LinkEvents.id(link));
      return ErrorStatusUpdateControl.<PresignedObjectLink>noStatusUpdate().withNoRetry();
    }
    Failure failure = named(exception);
    Instant now = clock.instant();
    Optional<String> secretName =
        Optional.ofNullable(link.getStatus()).map(PresignedObjectLinkStatus::getSecretName);
    Optional<IssuedUrl> current = secrets.lastIssued(link, secretName);
    metrics.rotation(failure.reason().name());
    faults.failed(link, exception, current);
    String statusNotWritten = "";
    try {
      PresignedObjectLinkStatus status =
          verifications.withVerified(
              link, LinkStatus.failed(link, secretName, current, failure, now), current, now);
      metrics.ready(ResourceID.fromResource(link), status);
      if (LinkStatus.patch(link, status, context)) {
        events.record(link, failure.reason(), failure.message());
      }
    } catch (KubernetesClientException e) {
      // A real API server refuses the status of an object whose stored spec its schema no longer
      // allows; the event and the log still name the failure.
      statusNotWritten = " (the status could not be written" + ApiRefusal.describe(e) + ")";
      events.record(link, failure.reason(), failure.message());
    }
    // R8: one line per failure; the stack trace only at debug level.
    String id = LinkEvents.id(link);
    LOG.warnf("%s: %s: %s%s", id, failure.reason(), failure.message(), statusNotWritten);
    LOG.debugf(exception, "%s: %s", id, failure.reason());
    ErrorStatusUpdateControl<PresignedObjectLink> control =
        ErrorStatusUpdateControl.noStatusUpdate();
    return failure.retry() ? control : control.withNoRetry();
  }
}
