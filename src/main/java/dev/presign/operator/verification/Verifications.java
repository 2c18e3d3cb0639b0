package dev.presign.operator.verification;

import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkSpec;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkStatus;
import dev.presign.operator.config.PresignConfig;
import dev.presign.operator.report.EventReason;
import dev.presign.operator.report.LinkDeleted;
import dev.presign.operator.report.LinkEvents;
import dev.presign.operator.report.LinkMetrics;
import dev.presign.operator.report.LinkStatus;
import dev.presign.operator.rotation.IssuedUrl;
import dev.presign.operator.signing.UrlRedaction;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Verifies new GET URLs (R11) off the reconcile threads. The reconciler hands over a URL it has
 * written; up to presign.verify.concurrency verifications run at once on threads of their own, each
 * bounded by presign.verify.timeout. An outcome is recorded (metrics, a Warning event on failure)
 * and written as the Verified condition.
 *
 * <p>One status write for both: a reconcile waits for the outcome of its verification up to
 * presign.verify.status-wait before it writes the status, so the usual answer of S3 (milliseconds,
 * queue included) costs no second write. An outcome that comes later reconciles the link again
 * through {@link VerificationResults}, whose reconcile writes it. A wait that runs out stops the
 * waiting until an outcome comes within the status wait again: a slow or silent endpoint holds each
 * reconcile thread for at most one status wait, not one per link, and delays no link's rotation.
 *
 * <p>Outcomes are kept for the URL they are about (its digest): a newer URL supersedes a pending
 * verification, which then makes no request. After a restart the status' Verified condition stands
 * for the URL it names in status.urlDigest; only a verification that was still pending is redone.
 */
@ApplicationScoped
public class Verifications {

  private static final Logger LOG = Logger.getLogger(Verifications.class);

  /**
   * The verification of one link's current URL: pending (no outcome) or done (no longer pending, so
   * that 10,000 links keep only their outcomes).
   */
  private record Entry(String urlDigest, Optional<Verification> outcome, Pending pending) {}

  /**
   * A verification handed over: done once its outcome is in the entries; awaited while a reconcile
   * waits to write that outcome itself, which then needs no notice through the listeners.
   */
  private static final class Pending {
    private final Instant handedOverAt;
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicBoolean awaited = new AtomicBoolean();

    private Pending(Instant handedOverAt) {
      this.handedOverAt = handedOverAt;
    }
  }

  private final boolean enabled;
  private final Duration statusWait;
  private final UrlVerifier verifier;
  private final ExecutorService executor;
  private final LinkEvents events;
  private final LinkMetrics metrics;
  private final Clock clock;
  private final Map<ResourceID, Entry> entries = new ConcurrentHashMap<>();

  /**
   * Whether the last outcomes came within the status wait of their hand-over: while they do,
   * reconciles wait for theirs. Cleared by a wait that runs out, set again by an outcome in time.
   */
  private final AtomicBoolean answeringInTime = new AtomicBoolean(true);

  private final List<Consumer<ResourceID>> listeners = new CopyOnWriteArrayList<>();

  public Verifications(PresignConfig config, LinkEvents events, LinkMetrics metrics, Clock clock) {
    this.enabled = config.verify().enabled();
    this.statusWait = config.verify().statusWait();
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
    this.clock = clock;
  }

  /**
   * Starts verifying the URL the link's Secret holds, unless it is verified already, being
   * verified, or not to be verified (PUT, spec.verify false, presign.verify.enabled false).
   */
  public void ensure(PresignedObjectLink link, String url, IssuedUrl issued) {
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
    Pending pending = new Pending(clock.instant());
    entries.put(id, new Entry(issued.urlDigest(), Optional.empty(), pending));
    executor.execute(() -> verify(link, id, issued.urlDigest(), url, pending));
  }

  /** The status with the Verified condition of its URL added, when there is one to add. */
  public PresignedObjectLinkStatus withVerified(
      PresignedObjectLink link,
      PresignedObjectLinkStatus status,
      Optional<IssuedUrl> issued,
      Instant now) {
    Optional<Condition> verified =
        issued
            .filter(url -> wanted(link))
            .flatMap(
                url -> {
                  awaitOutcome(ResourceID.fromResource(link), url);
                  return condition(link, url, now);
                });
    verified.ifPresent(
        condition -> {
          List<Condition> conditions = new ArrayList<>(status.getConditions());
          conditions.add(condition);
          status.setConditions(conditions);
        });
    return status;
  }

  /** Waits up to the status wait for the verification of this URL, while outcomes come in time. */
  private void awaitOutcome(ResourceID id, IssuedUrl issued) {
    Entry entry = entries.get(id);
    if (entry == null
        || entry.outcome().isPresent()
        || !isFor(entry, issued.urlDigest())
        || !answeringInTime.get()) {
      return;
    }
    // Set before waiting and cleared after: an outcome stored while it is set is read by this
    // reconcile once it stops waiting; one stored after it is cleared is announced by verify().
    entry.pending().awaited.set(true);
    try {
      if (!entry.pending().done.await(statusWait.toMillis(), TimeUnit.MILLISECONDS)) {
        answeringInTime.set(false);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      entry.pending().awaited.set(false);
    }
  }

  /** Drops what is kept of a deleted link; a verification under way then reports nothing. */
  void forget(@Observes LinkDeleted deleted) {
    entries.remove(deleted.link());
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
        // R11: only a download is tried; a try of an upload would write.
        && (spec.getMethod() == null || spec.getMethod() == HttpMethod.GET)
        && !Boolean.FALSE.equals(spec.getVerify());
  }

  private void verify(
      PresignedObjectLink link, ResourceID id, String urlDigest, String url, Pending pending) {
    if (!isCurrent(id, urlDigest)) {
      return; // superseded by a newer URL, or the link is gone, while it waited
    }
    Verification outcome;
    try {
      outcome = verifier.verify(url);
    } catch (RuntimeException e) {
      outcome = new Verification(false, "VerificationError", e.getClass().getSimpleName());
    }
    Entry done = new Entry(urlDigest, Optional.of(outcome), null);
    if (entries.computeIfPresent(id, (key, entry) -> isFor(entry, urlDigest) ? done : entry)
        != done) {
      return;
    }
    if (Duration.between(pending.handedOverAt, clock.instant()).compareTo(statusWait) <= 0) {
      answeringInTime.set(true);
    }
    pending.done.countDown();
    metrics.verified(id, outcome.verified());
    if (!outcome.verified()) {
      metrics.verificationFailed(outcome.metricCode());
      LOG.infof(
          "%s: %s: %s", LinkEvents.id(link), EventReason.VerificationFailed, outcome.message());
      events.record(link, EventReason.VerificationFailed, outcome.message());
    }
    if (!pending.awaited.get()) {
      listeners.forEach(listener -> listener.accept(id));
    }
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
