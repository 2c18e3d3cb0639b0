package dev.presign.operator.reconciler;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.credentials.WebIdentitySessions;
import dev.presign.operator.report.EventReason;
import dev.presign.operator.report.LinkStatus;
import dev.presign.operator.rotation.IssuedUrl;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reconciles the links a fault held back as soon as the fault ends (R8), instead of after their
 * backoff, which grows to minutes: links left without credentials when STS answers again, and links
 * whose requests the API server did not answer once it answers again. Those expiring soonest go
 * first, so that rotations that fell due during the fault catch up before anything else.
 */
@Singleton
public class FaultRecovery extends AbstractEventSource<FaultRecovery, PresignedObjectLink> {

  /** How often an API server that did not answer is asked for its version while links wait. */
  private static final long PROBE_MILLIS = 1_000;

  private final WebIdentitySessions sessions;
  private final KubernetesClient client;
  private final Consumer<WebIdentitySessions.Holder> stsRecovered = holder -> credentialsBack();

  /** Links whose last reconcile the API server did not answer, by their current URL's expiry. */
  private final Map<ResourceID, Instant> awaitingApi = new ConcurrentHashMap<>();

  private volatile boolean apiDownSeen;
  private IndexedResourceCache<PresignedObjectLink> links;
  private ScheduledExecutorService prober;

  public FaultRecovery(WebIdentitySessions sessions, KubernetesClient client) {
    super(FaultRecovery.class, "fault-recovery");
    this.sessions = sessions;
    this.client = client;
  }

  /** This source, reading the links of {@code cache}; once, before the operator starts. */
  FaultRecovery over(IndexedResourceCache<PresignedObjectLink> cache) {
    this.links = cache;
    return this;
  }

  /** Notes a failed reconcile: one the API server did not answer waits for its return. */
  void failed(PresignedObjectLink link, Throwable failure, Optional<IssuedUrl> current) {
    if (apiUnanswered(failure)) {
      awaitingApi.put(
          ResourceID.fromResource(link), current.map(IssuedUrl::expiresAt).orElse(Instant.MIN));
    }
  }

  @Override
  public void start() {
    super.start();
    sessions.onRecovery(stsRecovered);
    prober =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "presign-api-probe");
              thread.setDaemon(true);
              return thread;
            });
    prober.scheduleWithFixedDelay(
        this::probeApi, PROBE_MILLIS, PROBE_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    sessions.removeListener(stsRecovered);
    if (prober != null) {
      prober.shutdownNow();
    }
    super.stop();
  }

  @Override
  public Set<FaultRecovery> getSecondaryResources(PresignedObjectLink link) {
    return Set.of();
  }

  private void credentialsBack() {
    reconcile(
        links
            .list()
            .filter(FaultRecovery::lacksCredentials)
            .collect(
                Collectors.toMap(
                    ResourceID::fromResource,
                    link ->
                        Optional.ofNullable(link.getStatus().getExpiresAt())
                            .map(Instant::parse)
                            .orElse(Instant.MIN))));
  }

  /**
   * While links wait, asks the API server whether it answers. Their reconciles go out once it
   * answers after it did not; when it answered all along, what failed was no outage, and the links
   * keep their backoff.
   */
  private void probeApi() {
    if (awaitingApi.isEmpty()) {
      return;
    }
    try {
      client.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      apiDownSeen = true;
      return;
    }
    Map<ResourceID, Instant> held = Map.copyOf(awaitingApi);
    awaitingApi.keySet().removeAll(held.keySet());
    if (apiDownSeen) {
      apiDownSeen = false;
      reconcile(held);
    }
  }

  /** Sends the links' events soonest expiry first; the SDK starts them in that order. */
  private void reconcile(Map<ResourceID, Instant> expiries) {
    expiries.entrySet().stream()
        .sorted(Map.Entry.comparingByValue())
        .forEach(held -> getEventHandler().handleEvent(new Event(held.getKey())));
  }

  private static boolean lacksCredentials(PresignedObjectLink link) {
    return link.getStatus() != null
        && link.getStatus().getConditions().stream()
            .anyMatch(
                c ->
                    LinkStatus.READY.equals(c.getType())
                        && EventReason.CredentialsUnavailable.name().equals(c.getReason()));
  }

  /**
   * The API server gave no answer at all (refused, reset, timed out: the client's exception carries
   * no HTTP status), rather than an error of its own.
   */
  static boolean apiUnanswered(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof KubernetesClientException e) {
        return e.getCode() <= 0;
      }
    }
    return false;
  }
}
