package dev.presign.operator.reconciler;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkStatus;
import dev.presign.operator.api.v1alpha1.SecretTemplate;
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
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
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
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Coordinates the life of a link: validate, check the policy, decide, sign if due, write the
 * Secret, report status, come back at the renewal time. The work lives in the classes it calls.
 */
@ControllerConfiguration(name = PresignedObjectLinkReconciler.NAME)
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
  // Informers list in pages: one response for every link of a large cluster would need its whole
  // body, and every object in it, in the heap at once.
  static final long LIST_PAGE = 500;
  private static final Logger LOG = Logger.getLogger(PresignedObjectLinkReconciler.class);

  private final UrlIssuer issuer;
  private final SigningPolicy policy;
  private final LinkEvents events;
  private final LinkMetrics metrics;
  private final Clock clock;
  private final Shard shard;
  private InformerEventSource<Secret, PresignedObjectLink> secrets;

  public PresignedObjectLinkReconciler(
      UrlIssuer issuer,
      SigningPolicy policy,
      LinkEvents events,
      LinkMetrics metrics,
      Clock clock,
      PresignConfig config) {
    this.issuer = issuer;
    this.policy = policy;
    this.events = events;
    this.metrics = metrics;
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
    return List.of(secrets, new PolicyChanges(policy, context.getPrimaryCache()));
  }

  @Override
  public UpdateControl<PresignedObjectLink> reconcile(
      PresignedObjectLink link, Context<PresignedObjectLink> context) {
    ValidLink valid = LinkValidator.validate(link);
    String secretName = valid.secret().name();
    Optional<Secret> secret = LinkSecrets.cached(secretName, context);
    Optional<String> denial = policy.denial(link.getMetadata().getNamespace(), valid);
    if (denial.isPresent()) {
      secret.ifPresent(s -> withdrawUrl(link, valid, s, context));
      throw new NotPermittedException(denial.get());
    }
    Optional<IssuedUrl> current =
        secret.flatMap(s -> LinkSecrets.issued(s, valid.secret().urlKey()));
    Instant now = clock.instant();
    IssueDecision decision = IssueDecision.decide(current, link.getMetadata().getGeneration(), now);
    IssuedUrl issued =
        decision.isDue()
            ? issue(link, valid, secret, current, decision, now, context)
            : repair(link, valid, secret.orElseThrow(), current.orElseThrow(), context);
    LinkSecrets.deleteOthers(link, secretName, context)
        .forEach(name -> LOG.infof("deleted Secret %s of %s after a rename", name, id(link)));
    metrics.observe(ResourceID.fromResource(link), issued);
    patchStatus(link, LinkStatus.ready(link, secretName, issued, now), context);
    return UpdateControl.<PresignedObjectLink>noUpdate()
        .rescheduleAfter(RenewalSchedule.delayUntil(issued.renewalTime(), now));
  }

  private IssuedUrl issue(
      PresignedObjectLink link,
      ValidLink valid,
      Optional<Secret> secret,
      Optional<IssuedUrl> current,
      IssueDecision decision,
      Instant now,
      Context<PresignedObjectLink> context) {
    UrlIssuer.NewUrl next = issuer.sign(link, valid, current, now);
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
    EventReason reason = issued.rotations() > 1 ? EventReason.Rotated : EventReason.Issued;
    metrics.rotation(reason.name());
    events.issued(link, reason, valid.secret().name(), decision, issued);
    if (next.lifetimeCapped()) {
      events.lifetimeCapped(link, issued, next.credentialsSource());
    }
    if (reason == EventReason.Rotated && link.getSpec().getRestartTargets() != null) {
      events.record(
          link,
          EventReason.RestartedTargets,
          String.join("; ", RestartTargets.restart(context.getClient(), link, issued.issuedAt())));
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
    Secret desired =
        LinkSecrets.desired(
            link,
            shard.target(link, valid.secret()),
            Optional.of(secret),
            LinkSecrets.url(secret, valid.secret().urlKey()),
            issued,
            valid.request().method().name());
    if (LinkSecrets.differs(secret, desired)) {
      LinkSecrets.write(context.getClient(), secrets, Optional.of(secret), desired);
      LOG.infof("restored the Secret %s of %s", valid.secret().name(), id(link));
    }
    return issued;
  }

  /** R7: a URL signed before the policy changed must not stay in the Secret. */
  private void withdrawUrl(
      PresignedObjectLink link,
      ValidLink valid,
      Secret secret,
      Context<PresignedObjectLink> context) {
    LinkSecrets.withoutUrl(secret, valid.secret().urlKey())
        .ifPresent(
            withdrawn -> {
              LinkSecrets.write(context.getClient(), secrets, Optional.of(secret), withdrawn);
              LOG.infof(
                  "removed the URL from the Secret %s of %s: the policy no longer permits it",
                  valid.secret().name(), id(link));
            });
  }

  @Override
  public ErrorStatusUpdateControl<PresignedObjectLink> updateErrorStatus(
      PresignedObjectLink link, Context<PresignedObjectLink> context, Exception exception) {
    Failure failure = Failure.of(exception);
    Instant now = clock.instant();
    Optional<String> secretName =
        Optional.ofNullable(link.getStatus()).map(PresignedObjectLinkStatus::getSecretName);
    Optional<IssuedUrl> current =
        secretName
            .flatMap(name -> LinkSecrets.cached(name, context))
            .filter(secret -> LinkSecrets.isOwnedBy(secret, link))
            .flatMap(secret -> LinkSecrets.issued(secret, urlKey(link)));
    metrics.rotation(failure.reason().name());
    String statusNotWritten = "";
    try {
      if (patchStatus(link, LinkStatus.failed(link, secretName, current, failure, now), context)) {
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

  /**
   * Replaces the status when it changed (a JSON patch of /status alone, so that nothing else of the
   * stored object is sent back), and caches the result: the next reconcile, which the new Secret
   * may trigger at once, then sees this status instead of patching it again (R4).
   *
   * @return whether the status changed
   */
  private static boolean patchStatus(
      PresignedObjectLink link,
      PresignedObjectLinkStatus status,
      Context<PresignedObjectLink> context) {
    if (status.equals(link.getStatus())) {
      return false;
    }
    String patch =
        "[{\"op\":\"add\",\"path\":\"/status\",\"value\":"
            + context.getClient().getKubernetesSerialization().asJson(status)
            + "}]";
    PresignedObjectLink patched =
        context
            .getClient()
            .resource(link)
            .subresource("status")
            .patch(PatchContext.of(PatchType.JSON), patch);
    context
        .eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(link), patched, link);
    return true;
  }

  private static String urlKey(PresignedObjectLink link) {
    return Optional.ofNullable(link.getSpec())
        .map(spec -> spec.getSecretTemplate())
        .map(SecretTemplate::getUrlKey)
        .orElse(LinkValidator.DEFAULT_URL_KEY);
  }

  private static String id(PresignedObjectLink link) {
    return link.getMetadata().getNamespace() + "/" + link.getMetadata().getName();
  }
}
