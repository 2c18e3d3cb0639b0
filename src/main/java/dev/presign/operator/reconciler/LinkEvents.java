package dev.presign.operator.reconciler;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.rotation.IssueDecision;
import dev.presign.operator.rotation.IssuedUrl;
import dev.presign.operator.signing.UrlRedaction;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/** Records Kubernetes events on links, as `kubectl describe plink` shows them. */
@ApplicationScoped
public class LinkEvents {

  static final String COMPONENT = "presign-operator";
  private static final Logger LOG = Logger.getLogger(LinkEvents.class);

  private final KubernetesClient client;
  private final Clock clock;

  public LinkEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** Issued or Rotated: a new URL is in the Secret. */
  void issued(
      PresignedObjectLink link,
      EventReason reason,
      String secretName,
      IssueDecision decision,
      IssuedUrl issued) {
    record(
        link,
        reason,
        "Wrote a new URL to Secret "
            + secretName
            + " because "
            + decision.description()
            + "; "
            + LinkStatus.validity(issued));
  }

  /** The credentials' expiry cut the URL's lifetime short (R2). */
  void lifetimeCapped(PresignedObjectLink link, IssuedUrl issued, String credentialsSource) {
    record(
        link,
        EventReason.LifetimeCapped,
        "The URL expires at "
            + issued.expiresAt()
            + ", before the requested "
            + link.getSpec().getExpiresIn()
            + ", because the credentials ("
            + credentialsSource
            + ") expire then");
  }

  public void record(PresignedObjectLink link, EventReason reason, String message) {
    String namespace = link.getMetadata().getNamespace();
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(
                link.getMetadata().getName()
                    + "."
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()))
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(link.getApiVersion())
                    .withKind(link.getKind())
                    .withNamespace(namespace)
                    .withName(link.getMetadata().getName())
                    .withUid(link.getMetadata().getUid())
                    .withResourceVersion(link.getMetadata().getResourceVersion())
                    .build())
            .withReason(reason.name())
            .withType(reason.type())
            .withMessage(UrlRedaction.redact(message))
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .build();
    try {
      client.v1().events().inNamespace(namespace).resource(event).create();
    } catch (KubernetesClientException e) {
      // Events are a courtesy to the reader; losing one must not fail the reconcile.
      LOG.warnf(
          "could not record event %s on %s/%s: %s",
          reason, namespace, link.getMetadata().getName(), UrlRedaction.redact(e.getMessage()));
    }
  }
}
