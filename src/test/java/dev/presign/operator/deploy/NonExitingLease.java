package dev.presign.operator.deploy;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;

/**
 * The production Lease settings for a plain SDK Operator inside the test JVM. In a pod, a replica
 * that loses its Lease exits, so that it never acts next to its successor; it tells a loss from a
 * shutdown by Quarkus' ShutdownEvent ({@link dev.presign.operator.lifecycle.StopLeading}), which a
 * plain Operator never sees, so its stop() would end the test JVM.
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
