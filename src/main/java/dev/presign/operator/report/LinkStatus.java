package dev.presign.operator.report;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkStatus;
import dev.presign.operator.api.v1alpha1.TargetRestart;
import dev.presign.operator.rotation.IssuedUrl;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Builds the status of a link as a value (STYLE: status is a value), and patches it. */
public final class LinkStatus {

  public static final String READY = "Ready";
  // The kstatus pair (DESIGN §1), which Flux and kpt read: InProgress while Reconciling, Failed
  // while Stalled.
  static final String RECONCILING = "Reconciling";
  static final String STALLED = "Stalled";
  // R11: whether the current URL read its object; apart from the three above, which it never
  // changes.
  public static final String VERIFIED = "Verified";

  private LinkStatus() {}

  /**
   * The status of a link whose Secret holds a good URL.
   *
   * @param restarts the last restart of each restart target (R9)
   * @param unrestartedReaders workloads that never see a new URL (R9), added to Ready's message
   * @param rotationRequest the presign.dev/rotate-requested-at value acted on, if any (R10)
   */
  public static PresignedObjectLinkStatus ready(
      PresignedObjectLink link,
      String secretName,
      IssuedUrl issued,
      List<TargetRestart> restarts,
      List<String> unrestartedReaders,
      Optional<String> rotationRequest,
      Instant now) {
    String reason = EventReason.ofIssued(issued).name();
    String message =
        Stream.concat(Stream.of(validity(issued)), unrestartedReaders.stream())
            .collect(Collectors.joining("; "));
    PresignedObjectLinkStatus status =
        status(
            link,
            secretName,
            Optional.of(issued),
            List.of(
                condition(link, READY, true, reason, message, now),
                condition(link, RECONCILING, false, reason, "nothing to retry", now),
                condition(link, STALLED, false, reason, "not stalled", now)));
    status.setRestarts(restarts.isEmpty() ? null : restarts);
    status.setLastHandledRotationRequest(
        rotationRequest.orElse(status.getLastHandledRotationRequest()));
    return status;
  }

  /**
   * The status after a failure. Ready stays True while a transient failure leaves a URL that was
   * signed for this spec and still works in the Secret.
   */
  public static PresignedObjectLinkStatus failed(
      PresignedObjectLink link,
      Optional<String> secretName,
      Optional<IssuedUrl> current,
      Failure failure,
      Instant now) {
    long generation = link.getMetadata().getGeneration();
    boolean stillValid =
        failure.transientFailure()
            && current.map(issued -> issued.servesGeneration(generation, now)).orElse(false);
    String message =
        current
            .filter(issued -> now.isBefore(issued.expiresAt()))
            .map(
                issued ->
                    failure.message()
                        + "; the URL in the Secret stays valid until "
                        + issued.expiresAt())
            .orElse(failure.message());
    String reason = failure.reason().name();
    return status(
        link,
        secretName.orElse(null),
        current,
        List.of(
            condition(link, READY, stillValid, reason, message, now),
            condition(
                link,
                RECONCILING,
                failure.retry() && !failure.stalled(),
                reason,
                failure.stalled() ? "nothing to retry" : "retrying with backoff: " + message,
                now),
            condition(
                link,
                STALLED,
                failure.stalled(),
                reason,
                failure.stalled()
                    ? message + " (a change of the link, its Secret or the policy is needed)"
                    : "not stalled",
                now)));
  }

  /**
   * Replaces the status when it changed (a JSON patch of /status alone, so that nothing else of the
   * stored object is sent back), and caches the result: the next reconcile, which the new Secret
   * may trigger at once, then sees this status instead of patching it again (R4).
   *
   * @return whether the status changed
   */
  public static boolean patch(
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
            .resource(addressOf(link))
            .subresource("status")
            .patch(PatchContext.of(PatchType.JSON), patch);
    context
        .eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(link), patched, link);
    return true;
  }

  /**
   * The link's name and namespace alone: Fabric8 copies (through JSON) the object it patches, and a
   * JSON patch needs nothing else of it; copying the whole link took over a quarter of a status
   * write's CPU.
   */
  private static PresignedObjectLink addressOf(PresignedObjectLink link) {
    PresignedObjectLink address = new PresignedObjectLink();
    address.setMetadata(
        new ObjectMetaBuilder()
            .withName(link.getMetadata().getName())
            .withNamespace(link.getMetadata().getNamespace())
            .build());
    return address;
  }

  static String validity(IssuedUrl issued) {
    return "URL valid until " + issued.expiresAt() + "; next rotation " + issued.renewalTime();
  }

  private static PresignedObjectLinkStatus status(
      PresignedObjectLink link,
      String secretName,
      Optional<IssuedUrl> issued,
      List<Condition> conditions) {
    PresignedObjectLinkStatus status = new PresignedObjectLinkStatus();
    status.setObservedGeneration(link.getMetadata().getGeneration());
    status.setConditions(conditions);
    status.setSecretName(secretName);
    issued.ifPresent(
        url -> {
          status.setIssuedAt(url.issuedAt().toString());
          status.setExpiresAt(url.expiresAt().toString());
          status.setRenewalTime(url.renewalTime().toString());
          status.setCredentialsExpireAt(
              url.credentialsExpireAt().map(Instant::toString).orElse(null));
          status.setUrlDigest(url.urlDigest());
        });
    long rotations = rotationsSoFar(link, issued);
    status.setRotations(rotations == 0 ? null : rotations);
    // What the operator did for the workloads and for requests stays until it does it again.
    Optional.ofNullable(link.getStatus())
        .ifPresent(
            previous -> {
              status.setRestarts(previous.getRestarts());
              status.setLastHandledRotationRequest(previous.getLastHandledRotationRequest());
            });
    return status;
  }

  private static Condition condition(
      PresignedObjectLink link,
      String type,
      boolean isTrue,
      String reason,
      String message,
      Instant now) {
    return condition(link, type, isTrue ? "True" : "False", reason, message, now);
  }

  /** A condition whose lastTransitionTime changes only when its status does. */
  public static Condition condition(
      PresignedObjectLink link,
      String type,
      String status,
      String reason,
      String message,
      Instant now) {
    String lastTransition =
        previous(link, type)
            .filter(previous -> status.equals(previous.getStatus()))
            .map(Condition::getLastTransitionTime)
            .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(link.getMetadata().getGeneration())
        .withLastTransitionTime(lastTransition)
        .build();
  }

  public static Optional<Condition> previous(PresignedObjectLink link, String type) {
    return Optional.ofNullable(link.getStatus()).stream()
        .flatMap(status -> status.getConditions().stream())
        .filter(condition -> type.equals(condition.getType()))
        .findFirst();
  }

  /** Rotations the link has had so far, by the Secret's record or the status, whichever is more. */
  public static long rotationsSoFar(PresignedObjectLink link, Optional<IssuedUrl> current) {
    return Math.max(
        current.map(IssuedUrl::rotations).orElse(0L),
        Optional.ofNullable(link.getStatus())
            .map(PresignedObjectLinkStatus::getRotations)
            .orElse(0L));
  }
}
