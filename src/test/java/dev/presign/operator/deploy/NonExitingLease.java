package dev.presign.operator.deploy;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;

/**
 * The production Lease settings for an operator inside the test JVM. In a pod, a replica that stops
 * leading exits, so that it never acts next to its successor; the SDK also calls that "stop
 * leading" when an operator shuts down, which here would end the test JVM.
 */
final class NonExitingLease {

  private NonExitingLease() {}

  /**
   * @param identity the replica's name in the Lease; null: the SDK's default
   */
  static LeaderElectionConfiguration of(LeaderElectionConfiguration production, String identity) {
    LeaderElectionConfigurationBuilder lease =
        LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(production.getLeaseName())
            .withLeaseDuration(production.getLeaseDuration())
            .withRenewDeadline(production.getRenewDeadline())
            .withRetryPeriod(production.getRetryPeriod())
            .withIdentity(identity)
            .withExitOnStopLeading(false);
    production.getLeaseNamespace().ifPresent(lease::withLeaseNamespace);
    return lease.build();
  }
}
