package dev.presign.operator.lifecycle;

import dev.presign.operator.config.PresignConfig;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.util.Optional;
import java.util.UUID;

/**
 * Leader election for the SDK. quarkus-operator-sdk looks up a {@link LeaderElectionConfiguration}
 * bean (in the profiles of quarkus.operator-sdk.activate-leader-election-for-profiles, by default
 * prod); a null bean leaves election off, and every replica acts.
 */
@ApplicationScoped
public class LeaderElectionProducer {

  private final PresignConfig.LeaderElection config;
  private final StopLeading stopLeading;

  public LeaderElectionProducer(PresignConfig config, StopLeading stopLeading) {
    this.config = config.leaderElection();
    this.stopLeading = stopLeading;
  }

  @Produces
  @Dependent
  LeaderElectionConfiguration leaderElection() {
    return configuration().orElse(null);
  }

  /**
   * The Lease settings; empty when election is off. A leader that loses the Lease exits, so that it
   * never acts alongside its successor, and one that shuts down hands the Lease back ({@link
   * StopLeading}, which replaces the SDK's exitOnStopLeading).
   */
  public Optional<LeaderElectionConfiguration> configuration() {
    if (!config.enabled()) {
      return Optional.empty();
    }
    String identity = identity();
    LeaderElectionConfigurationBuilder lease =
        LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(config.leaseName())
            .withLeaseDuration(config.leaseDuration())
            .withRenewDeadline(config.renewDeadline())
            .withRetryPeriod(config.retryPeriod())
            .withIdentity(identity)
            .withExitOnStopLeading(false)
            .withLeaderCallbacks(stopLeading.callbacks(config, identity));
    config.leaseNamespace().ifPresent(lease::withLeaseNamespace);
    return Optional.of(lease.build());
  }

  /**
   * The name the SDK would choose, the host name (in a pod, the pod name), else a random one;
   * chosen here because handing the Lease back needs to know it.
   */
  private static String identity() {
    String hostname = System.getenv("HOSTNAME");
    return hostname == null || hostname.isBlank() ? UUID.randomUUID().toString() : hostname;
  }
}
