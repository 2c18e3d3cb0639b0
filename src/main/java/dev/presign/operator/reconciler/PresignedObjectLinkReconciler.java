package dev.presign.operator.reconciler;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkStatus;
import dev.presign.operator.config.PresignConfig;
import dev.presign.operator.policy.NotPermittedException;
import dev.presign.operator.policy.SigningPolicy;
import dev.presign.operator.rotation.IssueDecision;
import dev.presign.operator.rotation.IssuedUrl;
import dev.presign.operator.rotation.RenewalSchedule;
import dev.presign.operator.validation.LinkValidator;
import dev.presign.operator.validation.ValidLink;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Coordinates the life of a link: validate, check the policy, decide, sign if due, write the
 * Secret, report status, come back at the renewal time. The work lives in the classes it calls.
 */
@ControllerConfiguration(
    name = PresignedObjectLinkReconciler.NAME,
    // Generation-aware processing would also drop a new rotation request, which is an annotation.
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = SpecOrRotationRequestChanged.class))
@GradualRetry(
    maxAttempts = -1,
    initialInterval = 2_000,
    intervalMultiplier = 2,
    maxInterval = 300_000)
// Reconciler is named although ConfigurableReconciler extends it: the SDK finds the resource type
// among the interfaces the class itself names.
public class PresignedObjectLinkReconciler
    implements Reconciler<PresignedObjectLink>, ConfigurableReconciler<PresignedObjectLink> {

  public static final String NAME = "presignedobjectlink";

  /** Any new value issues one new URL at once (R10), as Flux's reconcile.fluxcd.io/requestedAt. */
  public static final String ROTATE_REQUESTED_AT = "presign.dev/rotate-requested-at";

  // Informers list in pages: one response for every link of a large cluster would need its whole
  // body, and every object in it, in the heap at once.
  static final long LIST_PAGE = 500;

  private static final Logger LOG = Logger.getLogger(PresignedObjectLinkReconciler.class);

  private final UrlIssuer issuer;
  private final SigningPolicy policy;
  private final LinkEvents events;
  private final LinkMetrics metrics;
  private final Verifications verifications;
  private final Clock clock;
  private final Shard shard;
  private InformerEventSource<Secret, PresignedObjectLink> secrets;
  private LinkConsumers consumers;

  public PresignedObjectLinkReconciler(
      UrlIssuer issuer,
      SigningPolicy policy,
      LinkEvents events,
      LinkMetrics metrics,
      Verifications verifications,
      Clock clock,
      PresignConfig config) {
    this.issuer = issuer;
    this.policy = policy;
    this.events = events;
    this.metrics = metrics;
    this.verifications = verifications;
    this.clock = clock;
    this.shard = Shard.of(config.selector());
  }

  /** The links this operator serves (presign.selector), listed in pages. */
  @Override
  public void updateConfigurationFrom(
      ControllerConfigurationOverrider<PresignedObjectLink> configuration) {
    shard.linkSelector().ifPresent(configuration::withLabelSelector);
    configuration.withInformerListLimit(LIST_PAGE);
  }

  @Override
  public List<EventSource<?, PresignedObjectLink>> prepareEventSources(
      EventSourceContext<PresignedObjectLink> context) {
    // Only the Secrets the operator manages are watched and cached, never all of the cluster's, and
    // of those only the Secrets of the links this operator serves.
    secrets =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Secret.class, PresignedObjectLink.class)
                .withLabelSelector(shard.secretSelector())
                .withInformerListLimit(LIST_PAGE)
                .build(),
            context);
    consumers = LinkConsumers.prepare(context);
    List<EventSource<?, PresignedObjectLink>> sources = new ArrayList<>(consumers.eventSources());
    sources.add(secrets);
    sources.add(new PolicyChanges(policy, context.getPrimaryCache()));
    sources.add(new VerificationResults(verifications));
    return sources;
  }

  @Override
  public UpdateControl<PresignedObjectLink> reconcile(
      PresignedObjectLink link, Context<PresignedObjectLink> context) {
    ValidLink valid = LinkValidator.validate(link);
    String secretName = valid.secret().name();
    Optional<Secret> secret = LinkSecrets.cached(secretName, context);
    Optional<String> denial = policy.denial(link.getMetadata().getNamespace(), valid);
    if (denial.isPresent()) {
      // R7: a URL signed before the policy changed must not stay in the Secret.
      if (secret.isPresent()
          && LinkSecrets.withdraw(valid, secret.get(), context.getClient(), secrets)) {
        LOG.infof(
            "removed the URL of %s from its Secret: the policy no longer permits it", id(link));
      }
      throw new NotPermittedException(denial.get());
    }
    Optional<IssuedUrl> current =
        secret.flatMap(s -> LinkSecrets.issued(s, valid.secret().urlKey()));
    Instant now = clock.instant();
    Optional<String> rotationRequest =
        Optional.ofNullable(link.getMetadata().getAnnotations())
            .map(annotations -> annotations.get(ROTATE_REQUESTED_AT));
    IssueDecision decision =
        IssueDecision.decide(
            current,
            link.getMetadata().getGeneration(),
            isNew(rotationRequest, link, secret.flatMap(LinkSecrets::rotationRequest)),
            now);
    if (decision.repeatsCurrent(current, now)) {
      return UpdateControl.<PresignedObjectLink>noUpdate().rescheduleAfter(Duration.ofSeconds(1));
    }
    IssuedUrl issued =
        decision.isDue()
            ? issue(link, valid, secret, current, decision, now, context)
            : repair(link, valid, secret.orElseThrow(), current.orElseThrow(), context);
    LinkSecrets.deleteOthers(link, secretName, context)
        .forEach(name -> LOG.infof("deleted Secret %s of %s after a rename", name, id(link)));
    metrics.observe(ResourceID.fromResource(link), issued);
    LinkConsumers.Outcome settled = consumers.settle(link, secretName, issued, now, context);
    if (!settled.restarted().isEmpty()) {
      events.record(
          link,
          EventReason.RestartedTargets,
          "Restarted " + String.join(", ", settled.restarted()) + " for the new URLs");
    }
    PresignedObjectLinkStatus status =
        verifications.withVerified(
            link,
            LinkStatus.ready(link, secretName, issued, settled, rotationRequest, now),
            Optional.of(issued),
            now);
    metrics.ready(ResourceID.fromResource(link), status);
    if (LinkStatus.patch(link, status, context) && !settled.unrestartedReaders().isEmpty()) {
      events.record(
          link, EventReason.ConsumerNotUpdated, String.join("; ", settled.unrestartedReaders()));
    }
    Instant next =
        settled.recheckAt().filter(issued.renewalTime()::isAfter).orElse(issued.renewalTime());
    return UpdateControl.<PresignedObjectLink>noUpdate()
        .rescheduleAfter(RenewalSchedule.delayUntil(next, now));
  }

  /**
   * Whether the operator has yet to act on the value of presign.dev/rotate-requested-at (R10): the
   * status records the value handled, and so does the Secret, in case the status could not be
   * written after the URL was.
   */
  private static boolean isNew(
      Optional<String> request, PresignedObjectLink link, Optional<String> handledInSecret) {
    return request
        .filter(value -> !handledInSecret.equals(Optional.of(value)))
        .filter(
            value ->
                link.getStatus() == null
                    || !value.equals(link.getStatus().getLastHandledRotationRequest()))
        .isPresent();
  }

  private IssuedUrl issue(
      PresignedObjectLink link,
      ValidLink valid,
      Optional<Secret> secret,
      Optional<IssuedUrl> current,
      IssueDecision decision,
      Instant now,
      Context<PresignedObjectLink> context) {
    UrlIssuer.NewUrl next = issuer.sign(link, valid, current, consumers.otherRenewals(link), now);
    IssuedUrl issued = next.issued();
    LinkSecrets.write(
        context.getClient(),
        secrets,
        secret,
        LinkSecrets.desired(
            link,
            shard.target(link, valid.secret()),
            secret,
            next.url(),
            issued,
            valid.request().method().name()));
    verifications.ensure(link, next.url(), issued);
    EventReason reason = issued.rotations() > 1 ? EventReason.Rotated : EventReason.Issued;
    metrics.rotation(reason.name());
    events.issued(
        link,
        decision == IssueDecision.ROTATION_REQUESTED ? EventReason.RotationRequested : reason,
        valid.secret().name(),
        decision,
        issued);
    if (next.lifetimeCapped()) {
      events.lifetimeCapped(link, issued, next.credentialsSource());
    }
    return issued;
  }

  /** Puts back what was edited in the Secret besides the URL, without signing anew. */
  private IssuedUrl repair(
      PresignedObjectLink link,
      ValidLink valid,
      Secret secret,
      IssuedUrl issued,
      Context<PresignedObjectLink> context) {
    if (LinkSecrets.restore(
        link,
        shard.target(link, valid.secret()),
        valid.request().method().name(),
        secret,
        issued,
        context.getClient(),
        secrets)) {
      LOG.infof("restored the Secret %s of %s", valid.secret().name(), id(link));
    }
    // Picks up a verification that a restart cut short.
    verifications.ensure(link, LinkSecrets.url(secret, valid.secret().urlKey()), issued);
    return issued;
  }

  @Override
  public ErrorStatusUpdateControl<PresignedObjectLink> updateErrorStatus(
      PresignedObjectLink link, Context<PresignedObjectLink> context, Exception exception) {
    Failure failure = Failure.of(exception);
    Instant now = clock.instant();
    Optional<String> secretName =
        Optional.ofNullable(link.getStatus()).map(PresignedObjectLinkStatus::getSecretName);
    Optional<IssuedUrl> current = LinkSecrets.lastIssued(link, secretName, context);
    metrics.rotation(failure.reason().name());
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
      statusNotWritten = " (the status could not be written: " + e.getMessage() + ")";
      events.record(link, failure.reason(), failure.message());
    }
    // R8: one line per failure; the stack trace only at debug level.
    LOG.warnf("%s: %s: %s%s", id(link), failure.reason(), failure.message(), statusNotWritten);
    LOG.debugf(exception, "%s: %s", id(link), failure.reason());
    ErrorStatusUpdateControl<PresignedObjectLink> control =
        ErrorStatusUpdateControl.noStatusUpdate();
    return failure.retry() ? control : control.withNoRetry();
  }

  private static String id(PresignedObjectLink link) {
    return link.getMetadata().getNamespace() + "/" + link.getMetadata().getName();
  }
}
