package dev.presign.operator.reconciler;

import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkSpec;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkStatus;
import dev.presign.operator.config.PresignConfig;
import dev.presign.operator.rotation.IssuedUrl;
import dev.presign.operator.signing.UrlRedaction;
import dev.presign.operator.verification.UrlVerifier;
import dev.presign.operator.verification.Verification;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Verifies new GET URLs (R11) off the reconcile threads. The reconciler hands over a URL it has
 * written and goes on; up to presign.verify.concurrency verifications run at once on threads of
 * their own, each bounded by presign.verify.timeout. An outcome is recorded (metrics, a Warning
 * event on failure) and the link reconciled again through {@link VerificationResults}, whose
 * reconcile writes it as the Verified condition. So a slow or silent endpoint holds no reconcile
 * thread and delays no other link's rotation; it delays only the verifications behind it.
 *
 * <p>Outcomes are kept for the URL they are about (its digest): a newer URL supersedes a pending
 * verification, which then makes no request. After a restart the status' Verified condition stands
 * for the URL it names in status.urlDigest; only a verification that was still pending is redone.
 */
@ApplicationScoped
public class Verifications {

  private static final Logger LOG = Logger.getLogger(Verifications.class);

  /** The verification of one link's current URL; no outcome while it is pending. */
  private record Entry(String urlDigest, Optional<Verification> outcome) {}

  private final boolean enabled;
  private final UrlVerifier verifier;
  private final ExecutorService executor;
  private final LinkEvents events;
  private final LinkMetrics metrics;
  private final Map<ResourceID, Entry> entries = new ConcurrentHashMap<>();
  private final List<Consumer<ResourceID>> listeners = new CopyOnWriteArrayList<>();

  public Verifications(PresignConfig config, LinkEvents events, LinkMetrics metrics) {
    this.enabled = config.verify().enabled();
    this.verifier = new UrlVerifier(config.verify().timeout());
    this.executor =
        Executors.newFixedThreadPool(
            config.verify().concurrency(),
            task -> {
              Thread thread = new Thread(task, "presign-verify");
              thread.setDaemon(true);
              return thread;
            });
    this.events = events;
    this.metrics = metrics;
  }

  /**
   * Starts verifying the URL the link's Secret holds, unless it is verified already, being
   * verified, or not to be verified (PUT, spec.verify false, presign.verify.enabled false).
   */
  void ensure(PresignedObjectLink link, String url, IssuedUrl issued) {
    ResourceID id = ResourceID.fromResource(link);
    if (!wanted(link)) {
      entries.remove(id);
      metrics.notVerified(id);
      return;
    }
    Entry entry = entries.get(id);
    if (entry != null && entry.urlDigest().equals(issued.urlDigest())) {
      return;
    }
    Optional<Condition> reported = reported(link, issued);
    if (entry == null && reported.isPresent()) {
      metrics.verified(id, "True".equals(reported.get().getStatus()));
      return;
    }
    if (!UrlRedaction.digest(url).equals(issued.urlDigest())) {
      return; // the Secret's URL was edited; the reconcile that follows writes the issued one
    }
    entries.put(id, new Entry(issued.urlDigest(), Optional.empty()));
    executor.execute(() -> verify(link, id, issued.urlDigest(), url));
  }

  /** The status with the Verified condition of its URL added, when there is one to add. */
  PresignedObjectLinkStatus withVerified(
      PresignedObjectLink link,
      PresignedObjectLinkStatus status,
      Optional<IssuedUrl> issued,
      Instant now) {
    Optional<Condition> verified =
        issued.filter(url -> wanted(link)).flatMap(url -> condition(link, url, now));
    verified.ifPresent(
        condition -> {
          List<Condition> conditions = new ArrayList<>(status.getConditions());
          conditions.add(condition);
          status.setConditions(conditions);
        });
    return status;
  }

  /** Drops what is kept of a deleted link; a verification under way then reports nothing. */
  void forget(ResourceID link) {
    entries.remove(link);
  }

  void onOutcome(Consumer<ResourceID> listener) {
    listeners.add(listener);
  }

  void removeListener(Consumer<ResourceID> listener) {
    listeners.remove(listener);
  }

  private Optional<Condition> condition(PresignedObjectLink link, IssuedUrl issued, Instant now) {
    Entry entry = entries.get(ResourceID.fromResource(link));
    if (entry == null || !entry.urlDigest().equals(issued.urlDigest())) {
      return reported(link, issued);
    }
    return Optional.of(
        entry
            .outcome()
            .map(
                outcome ->
                    LinkStatus.condition(
                        link,
                        LinkStatus.VERIFIED,
                        outcome.verified() ? "True" : "False",
                        outcome.reason(),
                        outcome.message(),
                        now))
            .orElseGet(
                () ->
                    LinkStatus.condition(
                        link,
                        LinkStatus.VERIFIED,
                        "Unknown",
                        "Verifying",
                        "fetching the first byte of the object through the new URL",
                        now)));
  }

  /** The outcome the status already reports for this very URL (before a restart, say). */
  private static Optional<Condition> reported(PresignedObjectLink link, IssuedUrl issued) {
    boolean sameUrl =
        link.getStatus() != null
            && Objects.equals(link.getStatus().getUrlDigest(), issued.urlDigest());
    return LinkStatus.previous(link, LinkStatus.VERIFIED)
        .filter(condition -> sameUrl && !"Unknown".equals(condition.getStatus()));
  }

  private boolean wanted(PresignedObjectLink link) {
    PresignedObjectLinkSpec spec = link.getSpec();
    return enabled
        && spec != null
        && spec.getMethod() != HttpMethod.PUT
        && !Boolean.FALSE.equals(spec.getVerify());
  }

  private void verify(PresignedObjectLink link, ResourceID id, String urlDigest, String url) {
    if (!isCurrent(id, urlDigest)) {
      return; // superseded by a newer URL, or the link is gone, while it waited
    }
    Verification outcome;
    try {
      outcome = verifier.verify(url);
    } catch (RuntimeException e) {
      outcome = new Verification(false, "VerificationError", e.getClass().getSimpleName());
    }
    Entry done = new Entry(urlDigest, Optional.of(outcome));
    if (entries.computeIfPresent(id, (key, entry) -> isFor(entry, urlDigest) ? done : entry)
        != done) {
      return;
    }
    metrics.verified(id, outcome);
    if (!outcome.verified()) {
      LOG.infof(
          "%s: %s: %s", LinkEvents.id(link), EventReason.VerificationFailed, outcome.message());
      events.record(link, EventReason.VerificationFailed, outcome.message());
    }
    listeners.forEach(listener -> listener.accept(id));
  }

  private boolean isCurrent(ResourceID id, String urlDigest) {
    Entry entry = entries.get(id);
    return entry != null && isFor(entry, urlDigest);
  }

  private static boolean isFor(Entry entry, String urlDigest) {
    return entry.urlDigest().equals(urlDigest);
  }

  @PreDestroy
  void close() {
    executor.shutdownNow();
  }
}
