package dev.presign.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.util.Optional;

/**
 * Leader election for the SDK. quarkus-operator-sdk looks up a {@link LeaderElectionConfiguration}
 * bean (in the profiles of quarkus.operator-sdk.activate-leader-election-for-profiles, by default
 * prod); a null bean leaves election off, and every replica acts.
 */
@ApplicationScoped
public class LeaderElectionProducer {

  private final PresignConfig.LeaderElection config;

  public LeaderElectionProducer(PresignConfig config) {
    this.config = config.leaderElection();
  }

  @Produces
  @Dependent
  LeaderElectionConfiguration leaderElection() {
    return configuration().orElse(null);
  }

  /**
   * The Lease settings; empty when election is off. The identity is left to the SDK: the pod's host
   * name, which is the pod name. A leader that loses the Lease exits, so that it never acts
   * alongside its successor; Kubernetes restarts it as a standby.
   */
  public Optional<LeaderElectionConfiguration> configuration() {
    if (!config.enabled()) {
      return Optional.empty();
    }
    LeaderElectionConfigurationBuilder lease =
        LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(config.leaseName())
            .withLeaseDuration(config.leaseDuration())
            .withRenewDeadline(config.renewDeadline())
            .withRetryPeriod(config.retryPeriod())
            .withExitOnStopLeading(true);
    config.leaseNamespace().ifPresent(lease::withLeaseNamespace);
    return Optional.of(lease.build());
  }
}
