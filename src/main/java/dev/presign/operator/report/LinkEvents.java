package dev.presign.operator.report;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.rotation.IssueDecision;
import dev.presign.operator.rotation.IssuedUrl;
import dev.presign.operator.signing.UrlRedaction;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Records Kubernetes events on links, as `kubectl describe plink` shows them. Events are sent by
 * one thread of their own from a bounded queue, as client-go's event broadcaster does: a reconcile
 * never waits for one, and a burst (a cold start with every link due) drops what the queue cannot
 * hold rather than slowing the issue of URLs or filling the heap.
 */
@ApplicationScoped
public class LinkEvents {

  static final String COMPONENT = "presign-operator";
  static final int QUEUE_CAPACITY = 1_000;
  private static final Logger LOG = Logger.getLogger(LinkEvents.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final AtomicLong dropped = new AtomicLong();
  private final ThreadPoolExecutor sender =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.MILLISECONDS,
          new ArrayBlockingQueue<>(QUEUE_CAPACITY),
          task -> {
            Thread thread = new Thread(task, "presign-events");
            thread.setDaemon(true);
            return thread;
          },
          (task, executor) -> dropped.incrementAndGet());

  public LinkEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /**
   * Before the SDK closes the client (its own ShutdownEvent observer has the default priority): the
   * process is ending, so events still queued are dropped, with one line, rather than sent one by
   * one into a closed client.
   */
  void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
    int unsent = sender.shutdownNow().size();
    if (unsent > 0) {
      LOG.infof("%d events were not recorded: the operator is stopping", unsent);
    }
  }

  /**
   * Issued, Rotated or RotationRequested: a new URL is in the Secret; and LifetimeCapped when the
   * credentials cut its lifetime short.
   *
   * @param decision why the URL was issued
   * @param cappedBy the credentials whose expiry cut the URL's lifetime short (R2), if they did
   */
  public void issued(
      PresignedObjectLink link,
      String secretName,
      IssueDecision decision,
      IssuedUrl issued,
      Optional<String> cappedBy) {
    record(
        link,
        decision == IssueDecision.ROTATION_REQUESTED
            ? EventReason.RotationRequested
            : EventReason.ofIssued(issued),
        "Wrote a new URL to Secret "
            + secretName
            + " because "
            + decision.description()
            + "; "
            + LinkStatus.validity(issued));
    cappedBy.ifPresent(credentials -> lifetimeCapped(link, issued, credentials));
  }

  /** The credentials' expiry cut the URL's lifetime short (R2). */
  private void lifetimeCapped(
      PresignedObjectLink link, IssuedUrl issued, String credentialsSource) {
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

  /** namespace/name, as logs name a link. */
  public static String id(PresignedObjectLink link) {
    return link.getMetadata().getNamespace() + "/" + link.getMetadata().getName();
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
    sender.execute(() -> send(event));
  }

  private void send(Event event) {
    create(event);
    // One line per burst, once the queue has drained, rather than one per event dropped.
    if (sender.getQueue().isEmpty()) {
      long lost = dropped.getAndSet(0);
      if (lost > 0) {
        LOG.warnf(
            "%d events were not recorded: more were due at once than the queue holds (%d)",
            lost, QUEUE_CAPACITY);
      }
    }
  }

  private void create(Event event) {
    String namespace = event.getMetadata().getNamespace();
    try {
      client.v1().events().inNamespace(namespace).resource(event).create();
    } catch (RuntimeException e) {
      if (sender.isShutdown()) {
        // Cut short by stop(), which has already said that events were left unrecorded.
        LOG.debugf("event %s not recorded: the operator is stopping", event.getReason());
        return;
      }
      // Events are a courtesy to the reader; losing one must not fail the reconcile, nor end the
      // sender (a client closed under it throws IllegalStateException).
      LOG.warnf(
          "could not record event %s on %s/%s: %s",
          event.getReason(),
          namespace,
          event.getInvolvedObject().getName(),
          UrlRedaction.redact(e.getMessage()));
    }
  }
}
