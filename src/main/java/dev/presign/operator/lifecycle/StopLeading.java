package dev.presign.operator.lifecycle;

import dev.presign.operator.config.PresignConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import org.jboss.logging.Logger;

/**
 * What a leader does when it stops leading. When the operator shuts down (SIGTERM, a rollout), it
 * hands the Lease back, so that a standby takes over at once rather than after leaseDuration. At
 * any other time it has lost the Lease (it could not renew within renewDeadline, or another replica
 * holds it): it ends at once, with status 1, so that it never acts beside its successor; Kubernetes
 * restarts it as a standby.
 *
 * <p>The SDK's own exitOnStopLeading cannot tell the two apart: it calls System.exit from within
 * the shutdown, which waits for the shutdown that is waiting for it, and the pod hangs until the
 * kubelet kills it.
 */
@ApplicationScoped
public class StopLeading {

  private static final Logger LOG = Logger.getLogger(StopLeading.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final Leadership leadership;
  private volatile boolean shuttingDown;

  public StopLeading(KubernetesClient client, Clock clock, Leadership leadership) {
    this.client = client;
    this.clock = clock;
    this.leadership = leadership;
  }

  /**
   * Before the SDK stops (its own ShutdownEvent observer has the default priority), so that the
   * stop-leading callback of that stop knows it was asked for.
   */
  void onShutdown(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
    shuttingDown = true;
  }

  /** Callbacks for the SDK's leader elector, for the replica {@code identity} of this Lease. */
  LeaderCallbacks callbacks(PresignConfig.LeaderElection lease, String identity) {
    return new LeaderCallbacks(
        leadership::startedLeading,
        () -> {
          leadership.stoppedLeading();
          stoppedLeading(lease, identity);
        },
        leader -> {});
  }

  private void stoppedLeading(PresignConfig.LeaderElection lease, String identity) {
    // The SDK's default namespace, when none is configured.
    String namespace =
        lease.leaseNamespace().orElseGet(() -> client.getConfiguration().getNamespace());
    LeaseLock lock = new LeaseLock(namespace, lease.leaseName(), identity);
    if (shuttingDown) {
      handBack(lock);
      return;
    }
    LOG.errorf(
        "Lost the Lease %s (not renewed within renewDeadline, or taken by another replica):"
            + " exiting, so as never to act beside the new leader",
        lock.describe());
    // Not System.exit: that would run the graceful shutdown first, reconciling on meanwhile, and
    // with a shutdown already under way it would wait on that for good. halt ends the process now.
    Runtime.getRuntime().halt(1);
  }

  /**
   * What fabric8's LeaderElector.release writes: no holder, a Lease that expires at once. The SDK
   * has its elector keep the Lease on cancel (so that it always hears of the stop), hence this. The
   * SDK has stopped its controllers and reconciliation threads by now: it stops leader election
   * last.
   */
  private void handBack(LeaseLock lock) {
    try {
      LeaderElectionRecord held = lock.get(client);
      if (held == null || !lock.identity().equals(held.getHolderIdentity())) {
        return;
      }
      ZonedDateTime now = ZonedDateTime.now(clock);
      lock.update(
          client,
          new LeaderElectionRecord(
              "", Duration.ofSeconds(1), now, now, held.getLeaderTransitions()));
      LOG.infof("Handed back the Lease %s", lock.describe());
    } catch (KubernetesClientException e) {
      // A standby then takes the Lease once it expires, after leaseDuration.
      LOG.warnf("Could not hand back the Lease %s: %s", lock.describe(), e.getMessage());
    }
  }
}
