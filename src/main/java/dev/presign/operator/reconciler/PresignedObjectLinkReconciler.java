package dev.presign.operator.reconciler;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkStatus;
import dev.presign.operator.config.PresignConfig;
import dev.presign.operator.consumers.LinkConsumers;
import dev.presign.operator.policy.NotPermittedException;
import dev.presign.operator.policy.SigningPolicy;
import dev.presign.operator.report.EventReason;
import dev.presign.operator.report.LinkEvents;
import dev.presign.operator.report.LinkMetrics;
import dev.presign.operator.report.LinkStatus;
import dev.presign.operator.rotation.IssueDecision;
import dev.presign.operator.rotation.IssuedUrl;
import dev.presign.operator.rotation.RenewalSchedule;
import dev.presign.operator.secret.LinkSecrets;
import dev.presign.operator.secret.RotationRequests;
import dev.presign.operator.secret.Shard;
import dev.presign.operator.signing.UrlSigner;
import dev.presign.operator.validation.LinkValidator;
import dev.presign.operator.validation.ValidLink;
import dev.presign.operator.verification.VerificationResults;
import dev.presign.operator.verification.Verifications;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

  private final UrlIssuer issuer;
  private final UrlSigner signer;
  private final SigningPolicy policy;
  private final LinkEvents events;
  private final LinkMetrics metrics;
  private final Verifications verifications;
  private final FaultRecovery faults;
  private final Clock clock;
  private final Shard shard;
  private LinkSecrets secrets;
  private LinkConsumers consumers;
  private FailureReports failures;

  public PresignedObjectLinkReconciler(
      UrlIssuer issuer,
      UrlSigner signer,
      SigningPolicy policy,
      LinkEvents events,
      LinkMetrics metrics,
      Verifications verifications,
      FaultRecovery faults,
      Clock clock,
      PresignConfig config) {
    this.issuer = issuer;
    this.signer = signer;
    this.policy = policy;
    this.events = events;
    this.metrics = metrics;
    this.verifications = verifications;
    this.faults = faults;
    this.clock = clock;
    this.shard = Shard.of(config.selector());
  }

  @Override
  public void updateConfigurationFrom(
      ControllerConfigurationOverrider<PresignedObjectLink> configuration) {
    shard.watchLinks(configuration);
  }

  @Override
  public List<EventSource<?, PresignedObjectLink>> prepareEventSources(
      EventSourceContext<PresignedObjectLink> context) {
    secrets = LinkSecrets.watch(context, shard, signer);
    consumers = LinkConsumers.prepare(context, events);
    failures = new FailureReports(events, metrics, verifications, faults, secrets, clock);
    List<EventSource<?, PresignedObjectLink>> sources = new ArrayList<>(consumers.eventSources());
    sources.add(secrets.eventSource());
    sources.add(new PolicyChanges(policy, context.getPrimaryCache()));
    sources.add(new VerificationResults(verifications));
    sources.add(faults.over(context.getPrimaryCache()));
    return sources;
  }

  @Override
  public UpdateControl<PresignedObjectLink> reconcile(
      PresignedObjectLink link, Context<PresignedObjectLink> context) {
    ValidLink valid = LinkValidator.validate(link);
    String secretName = valid.secret().name();
    Optional<Secret> secret = secrets.cached(link, secretName);
    Optional<String> denial = policy.denial(link.getMetadata().getNamespace(), valid);
    if (denial.isPresent()) {
      // R7: a URL signed before the policy changed must not stay in the Secret.
      secret.ifPresent(s -> secrets.withdraw(link, valid, s));
      throw new NotPermittedException(denial.get());
    }
    Optional<IssuedUrl> current =
        secret.flatMap(s -> LinkSecrets.issued(s, valid.secret().urlKey()));
    Instant now = clock.instant();
    long generation = link.getMetadata().getGeneration();
    IssueDecision decision =
        IssueDecision.decide(
            current, generation, valid.signedSpec(), RotationRequests.isNew(link, secret), now);
    if (decision.repeatsCurrent(current, now)) {
      return UpdateControl.<PresignedObjectLink>noUpdate().rescheduleAfter(Duration.ofSeconds(1));
    }
    IssuedUrl issued =
        decision.isDue()
            ? issue(link, valid, secret, current, decision, now)
            : repair(link, valid, secret.orElseThrow(), current.orElseThrow().serving(generation));
    secrets.deleteOthers(link, secretName);
    metrics.observe(ResourceID.fromResource(link), issued);
    LinkConsumers.Outcome settled = consumers.settle(link, secretName, issued, now, context);
    PresignedObjectLinkStatus ready =
        LinkStatus.ready(
            link,
            secretName,
            issued,
            settled.restarts(),
            settled.unrestartedReaders(),
            RotationRequests.of(link),
            now);
    PresignedObjectLinkStatus status =
        verifications.withVerified(link, ready, Optional.of(issued), now);
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

  private IssuedUrl issue(
      PresignedObjectLink link,
      ValidLink valid,
      Optional<Secret> secret,
      Optional<IssuedUrl> current,
      IssueDecision decision,
      Instant now) {
    UrlIssuer.NewUrl next = issuer.sign(link, valid, current, consumers.otherRenewals(link), now);
    IssuedUrl issued = next.issued();
    secrets.write(link, valid, secret, next.url(), next.fields(), issued);
    verifications.ensure(link, next.url(), issued);
    metrics.rotation(EventReason.ofIssued(issued).name());
    events.issued(link, valid.secret().name(), decision, issued, next.cappedBy());
    return issued;
  }

  /** Rewrites the Secret from the URL it holds (an edit, changed templates), without signing. */
  private IssuedUrl repair(
      PresignedObjectLink link, ValidLink valid, Secret secret, IssuedUrl issued) {
    secrets.restore(link, valid, secret, issued);
    // Picks up a verification that a restart cut short.
    verifications.ensure(link, LinkSecrets.url(secret, valid.secret().urlKey()), issued);
    return issued;
  }

  @Override
  public ErrorStatusUpdateControl<PresignedObjectLink> updateErrorStatus(
      PresignedObjectLink link, Context<PresignedObjectLink> context, Exception exception) {
    return failures.report(link, context, exception);
  }
}
