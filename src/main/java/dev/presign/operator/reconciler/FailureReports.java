package dev.presign.operator.reconciler;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkStatus;
import dev.presign.operator.rotation.IssuedUrl;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Rule R8: a failed reconcile gets its name in the status, a Warning event when the status changes,
 * one log line, and a retry with backoff unless only a person can help.
 */
final class FailureReports {

  private static final Logger LOG = Logger.getLogger(FailureReports.class);

  private final LinkEvents events;
  private final LinkMetrics metrics;
  private final Verifications verifications;
  private final FaultRecovery faults;
  private final Clock clock;

  FailureReports(
      LinkEvents events,
      LinkMetrics metrics,
      Verifications verifications,
      FaultRecovery faults,
      Clock clock) {
    this.events = events;
    this.metrics = metrics;
    this.verifications = verifications;
    this.faults = faults;
    this.clock = clock;
  }

  /** The event source that reconciles the links a fault held back once it ends. */
  FaultRecovery recovery(IndexedResourceCache<PresignedObjectLink> links) {
    return faults.over(links);
  }

  ErrorStatusUpdateControl<PresignedObjectLink> report(
      PresignedObjectLink link, Context<PresignedObjectLink> context, Exception exception) {
    Failure failure = Failure.of(exception);
    Instant now = clock.instant();
    Optional<String> secretName =
        Optional.ofNullable(link.getStatus()).map(PresignedObjectLinkStatus::getSecretName);
    Optional<IssuedUrl> current = LinkSecrets.lastIssued(link, secretName, context);
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
