package dev.presign.cli;

import dev.presign.operator.api.v1alpha1.LinkCredentials;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkSpec;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkStatus;
import dev.presign.operator.api.v1alpha1.TargetRestart;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;

/** Links as the operator reports them, for the plugin's unit tests. */
final class SampleLinks {

  private SampleLinks() {}

  static PresignedObjectLink link(String name) {
    PresignedObjectLink link = new PresignedObjectLink();
    link.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("analytics")
            .withGeneration(3L)
            .build());
    PresignedObjectLinkSpec spec = new PresignedObjectLinkSpec();
    spec.setBucket("acme-reports");
    spec.setKey("reports/2026/q3.pdf");
    spec.setExpiresIn("12h");
    link.setSpec(spec);
    return link;
  }

  /** A link Ready since 10:00, expiring at 22:00, rotated next at 18:00. */
  static PresignedObjectLink ready(String name) {
    PresignedObjectLink link = link(name);
    PresignedObjectLinkStatus status = new PresignedObjectLinkStatus();
    status.setObservedGeneration(3L);
    status.setSecretName(name);
    status.setIssuedAt("2026-11-22T10:00:00Z");
    status.setExpiresAt("2026-11-22T22:00:00Z");
    status.setRenewalTime("2026-11-22T18:00:00Z");
    status.setRotations(14L);
    status.setUrlDigest("sha256:9f2c");
    status.setConditions(
        new ArrayList<>(
            List.of(
                condition(
                    "Ready",
                    "True",
                    "Rotated",
                    "URL valid until 2026-11-22T22:00:00Z; next rotation 2026-11-22T18:00:00Z"),
                condition("Reconciling", "False", "Rotated", "nothing to retry"),
                condition("Stalled", "False", "Rotated", "not stalled"),
                condition("Verified", "True", "Verified", "S3 answered 206"))));
    link.setStatus(status);
    return link;
  }

  static PresignedObjectLink notPermitted(String name) {
    PresignedObjectLink link = link(name);
    PresignedObjectLinkStatus status = new PresignedObjectLinkStatus();
    status.setObservedGeneration(3L);
    String message = "bucket acme-reports is not allowed for namespace analytics";
    status.setConditions(
        new ArrayList<>(
            List.of(
                condition("Ready", "False", "NotPermitted", message),
                condition("Reconciling", "False", "NotPermitted", "nothing to retry"),
                condition("Stalled", "True", "NotPermitted", message))));
    link.setStatus(status);
    return link;
  }

  static Condition condition(String type, String status, String reason, String message) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime("2026-11-22T10:00:00Z")
        .build();
  }

  static void serviceAccount(PresignedObjectLink link, String name, String expiresAt) {
    LinkCredentials credentials = new LinkCredentials();
    credentials.setServiceAccountName(name);
    link.getSpec().setCredentials(credentials);
    link.getStatus().setCredentialsExpireAt(expiresAt);
  }

  static void restarted(PresignedObjectLink link, String kind, String name, String at) {
    link.getStatus().setRestarts(List.of(new TargetRestart(kind, name, at)));
  }

  static Event event(String type, String reason, String at, String message) {
    return new EventBuilder()
        .withType(type)
        .withReason(reason)
        .withLastTimestamp(at)
        .withCount(1)
        .withMessage(message)
        .build();
  }
}
